// A target of the ops bench in a process of its own (forked by ops.ts with forkTarget): the
// mesh preset (discovery, mesh, breaker, tracing, chaos, stubs) on the real clock with
// latency and errors scaled to 0, with or without the observability plugin (logs of every
// exchange and event, RED metrics, analysis windows). GET /gateway/checkout is measured.
import { createKernel } from '@understudy/kernel';
import observability from '@understudy/plugin-observability';
import { serveTarget } from './child-target.js';

const name = process.argv[2]!;
const withObservability = name.includes('observability on');
const kernel = createKernel({
  presets: ['mesh'],
  plugins: withObservability ? [observability] : [],
  config: { server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn', plugins: { mesh: { latencyScale: 0, errorScale: 0 } } },
});
const base = await kernel.start();
serveTarget({ name, url: `${base}/gateway/checkout`, close: () => kernel.stop() });
