// A benchmark target in a process of its own, so that targets measured in one run never
// share a heap or an event loop (one kernel's garbage would otherwise slow another).
// The parent (child-target.ts) names the target; this process answers its URL, its CPU
// time on request, and exits when told to close.
import { serveTarget } from './child-target.js';
import { startMeshPreset, startShopGateway } from './mesh-gateway.js';
import { startBareAedes, startUnderstudyMqtt } from './mqtt-targets.js';
import { startUnderstudyStubs, type Target } from './targets.js';
import { startTracedGateway } from './tracing-gateway.js';

const starters: Record<string, () => Promise<Target>> = {
  'single stub route': startUnderstudyStubs,
  'checkout, mesh only': startShopGateway,
  'checkout, mesh + tracing': () => startTracedGateway(true),
  'checkout, mesh preset (all plugins)': startMeshPreset,
  'bare aedes': startBareAedes,
  'understudy mqtt': startUnderstudyMqtt,
};

const name = process.argv[2]!;
const start = starters[name];
if (!start) throw new Error(`unknown bench target "${name}"; known: ${Object.keys(starters).join(', ')}`);
serveTarget(await start());
