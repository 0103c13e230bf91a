// Synthesis of mock responses from learned endpoint models (see synthesize.ts), and the
// pieces the exports reuse: the static status choice, headers, the log-normal fit.
export { synthesize, type SynthOptions, type SynthRequest } from './synthesize.js';
export { generate, type GenerateContext, type ValuePools } from './generate.js';
export { fits } from './fits.js';
export { pickStatus, mainStatus } from './status.js';
export { mockHeaders, isJsonType } from './headers.js';
export { sampleLatency, lognormalFit } from './latency.js';
export { SynthErrors } from './errors.js';
