// The learner plugin: learns each endpoint of a real API from the observations the proxy
// (or a HAR import) gives it — path templates, latency distributions, status mix, JSON
// Schema — keeps the models in SQLite or PostgreSQL, answers mocks (stateful where the
// traffic shows a resource lifecycle) and exports OpenAPI, WireMock and Hoverfly.
import { definePlugin } from '@understudy/plugin-sdk';
import { LearnerConfigSchema } from './config.js';

export { LearnerConfigSchema, type LearnerConfig } from './config.js';
export { LearnerErrors } from './errors.js';
export type * from './contract.js';

export default definePlugin({
  name: 'learner',
  version: '0.1.0',
  description:
    'Learns each endpoint of a real API from traffic — path templates, latency distributions, status mix, JSON Schema — stores it (SQLite or PostgreSQL), synthesizes realistic mocks and exports OpenAPI, WireMock and Hoverfly.',
  config: LearnerConfigSchema,
  register() {
    // The service lands next (service.ts); the contract above is what the proxy compiles against.
  },
});
