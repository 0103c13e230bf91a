// Hero personas from config ("Maria Chen, premium customer with a mortgage"): each names an
// entity of the data set and the hints that shape it. Checked whole at register time (every
// problem with its path stops startup), then registered with industry-data, so every
// endpoint — the entity, lists, relations, exports — builds the same story around her.
import { KernelErrors } from '@understudy/plugin-sdk';
import type { Persona } from './contract.js';
import type { PersonaConfig } from './config.js';
import type { IndustryData } from './industry-types.js';
import { nearest } from './suggest.js';

export class PersonaRegistry {
  private readonly byKey = new Map<string, Persona>();

  constructor(
    configured: readonly PersonaConfig[],
    data: IndustryData,
    private readonly prefix: string,
  ) {
    const problems: string[] = [];
    configured.forEach((p, i) => {
      const at = `plugins.personas.personas[${i}]`;
      if (this.byKey.has(p.key)) return void problems.push(`${at}.key: "${p.key}" is also the key of an earlier persona; keys must be unique`);
      const industries = data.industries();
      if (!industries.includes(p.industry)) {
        const near = nearest(p.industry, industries);
        return void problems.push(`${at}.industry: unknown industry "${p.industry}"${near.length ? ` (did you mean "${near[0]}"?)` : ''}; known: ${industries.join(', ')}`);
      }
      let plural: string;
      let count: number;
      try {
        ({ plural, count } = data.type(p.industry, p.type));
      } catch (err) {
        return void problems.push(`${at}.type: ${(err as Error).message}`);
      }
      const id = data.canonicalId(p.industry, plural, String(p.id));
      if (id === undefined) return void problems.push(`${at}.id: "${p.id}" is not an id of ${p.industry}/${plural} (ids run from 1 to ${count})`);
      const hints = { ...(p.name !== undefined && { name: p.name }), ...p.hints };
      this.byKey.set(p.key, {
        key: p.key,
        industry: p.industry,
        type: plural,
        id,
        ...(p.name !== undefined && { name: p.name }),
        hints,
        ...(p.story !== undefined && { story: p.story }),
        href: `${prefix}/${p.industry}/${plural}/${id}`,
      });
    });
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems);
    for (const p of this.byKey.values()) data.registerHints(p.industry, p.type, p.id, p.hints);
  }

  list(industry?: string): Persona[] {
    return [...this.byKey.values()].filter((p) => industry === undefined || p.industry === industry);
  }

  get(key: string): Persona | undefined {
    return this.byKey.get(key);
  }

  /** Keys near `wanted` (among `candidates`, default every key), and persona names that match it. */
  suggest(wanted: string, candidates: readonly Persona[] = this.list()): string[] {
    const byName = candidates.filter((p) => p.name !== undefined && nearest(wanted, p.name.split(/\s+/).concat(p.name)).length > 0).map((p) => p.key);
    return [...new Set([...nearest(wanted, candidates.map((p) => p.key)), ...byName])].slice(0, 3);
  }
}
