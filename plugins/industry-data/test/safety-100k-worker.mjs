// Entry of the 100k-records workers: worker threads do not get the test process's
// `--import tsx`, so this registers tsx for the worker, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./safety-100k-worker.ts');
