// Preloaded into every test process by scripts/run-tests.mjs:
//   node --conditions=source --import tsx --import ./scripts/uvu-recorder.mjs <file>
//
// uvu has no reporter API, so we redirect the bare specifier `uvu` (not `uvu/assert`,
// `uvu/diff`, …) to scripts/lib/uvu-wrapper.mjs, which re-exports uvu with `suite()` and
// `test` wrapped so each test's suite, name, status and duration are recorded. The
// wrapper writes them to the JSON file named by UVU_RECORDER_OUT (see the wrapper).
import { register } from 'node:module';

register('./lib/uvu-hooks.mjs', import.meta.url);
