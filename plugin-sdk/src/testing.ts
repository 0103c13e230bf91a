// `@understudy/plugin-sdk/testing`: the harness for a plugin's tests (as Backstage's
// startTestBackend): a started kernel on a real socket with a virtual clock, test
// doubles for services, and small helpers for real-socket waits and JSON requests (also
// ones whose answer waits on the virtual clock, and the check of a refused one).
export { createTestKernel, type TestKernel, type TestKernelOptions } from './test-kernel.js';
export { fetchJson, type JsonReply } from './fetch-json.js';
export { fetchOnClock } from './fetch-on-clock.js';
export { waitFor } from './wait-for.js';
export { assertRefused } from './assert-refused.js';
