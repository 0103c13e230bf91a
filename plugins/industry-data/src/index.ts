// The industry-data plugin: generators for finance, healthcare (FHIR R4-shaped) and retail,
// custom industries described in config, all derived from (seed, industry, type, id, hints)
// and legally safe by construction, with a validator over every record. Provides the
// `industryData` service (see contract.ts) and a small admin API under /__admin/industry-data.
import { definePlugin, Type } from '@understudy/plugin-sdk';

export type * from './contract.js';
export { IndustryErrors } from './errors.js';

export default definePlugin({
  name: 'industry-data',
  version: '0.1.0',
  description:
    'Industry data generators (finance, healthcare, retail, and entities you describe), derived from (seed, type, id) so every entity is the same everywhere, and legally safe by construction.',
  provides: ['industryData'],
  config: Type.Object({}),
  register() {
    // the service is being built; the contract above is final
  },
});
