// The industry-data plugin: generators for finance, healthcare (FHIR R4-shaped) and retail,
// custom industries described in config, all derived from (seed, industry, type, id, hints)
// and legally safe by construction, with a validator over every record. Provides the
// `industryData` service (see contract.ts) and a small admin API under /__admin/industry-data.
import { definePlugin, KernelErrors } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { BUILTIN_INDUSTRIES } from './builtins.js';
import { DEFAULT_CURRENCY, IndustryDataConfigSchema } from './config.js';
import { IndustryDataService } from './service.js';
import type { IndustrySpec } from './core/spec.js';
import { StreamFaker } from './core/faker.js';
import { compileCustom } from './custom/compile.js';

export type * from './contract.js';
export { IndustryErrors } from './errors.js';
export { IndustryDataService } from './service.js';
export { IndustryDataConfigSchema, type IndustryDataConfig } from './config.js';

export default definePlugin({
  name: 'industry-data',
  version: '0.1.0',
  description:
    'Industry data generators (finance, healthcare, retail, and entities you describe), derived from (seed, type, id) so every entity is the same everywhere, and legally safe by construction.',
  provides: ['industryData'],
  config: IndustryDataConfigSchema,
  register(ctx) {
    const c = ctx.config;
    const problems: string[] = [];
    if (Number.isNaN(Date.parse(c.epoch))) problems.push(`plugins.industry-data.epoch: "${c.epoch}" is not an ISO 8601 instant`);
    const industries: IndustrySpec[] = [];
    for (const name of c.industries) if (BUILTIN_INDUSTRIES[name]) industries.push(BUILTIN_INDUSTRIES[name]);
    const faker = new StreamFaker();
    c.custom.forEach((custom, i) => {
      const spec = compileCustom(custom, `plugins.industry-data.custom[${i}]`, industries.map((x) => x.name), faker.faker, custom.currency ?? c.currency[custom.name] ?? 'USD', problems);
      if (spec) industries.push(spec);
    });
    for (const [industry, counts] of Object.entries(c.counts)) {
      const known = industries.find((x) => x.name === industry);
      if (!known) problems.push(`plugins.industry-data.counts.${industry}: no such industry (known: ${industries.map((x) => x.name).join(', ')})`);
      else for (const plural of Object.keys(counts)) if (!known.types.some((t) => t.plural === plural)) problems.push(`plugins.industry-data.counts.${industry}.${plural}: ${industry} has no type "${plural}" (types: ${known.types.map((t) => t.plural).join(', ')})`);
    }
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems);
    const seed = c.seed !== undefined ? String(c.seed) : String(ctx.random.fork('data-set').int(0, 0x7fffffff));
    const service = new IndustryDataService({
      seed,
      epoch: c.epoch,
      industries,
      counts: c.counts,
      currency: { ...DEFAULT_CURRENCY, ...Object.fromEntries(c.custom.filter((x) => x.currency).map((x) => [x.name, x.currency!])), ...c.currency },
      cache: c.cache,
      maxPageSize: c.maxPageSize,
      maxScan: c.maxScan,
    });
    ctx.provide('industryData', service);
    ctx.admin(adminRoutes(service));
  },
});
