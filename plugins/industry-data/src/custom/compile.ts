// Turns a custom industry from config into an IndustrySpec like the built-in ones: checks
// every entity and field (names, parents, references, faker methods, templates), collecting
// every problem with its config path so startup reports them all at once, then builds each
// type's generator and its safety check (the generic walk plus the fields' own ranges).
import type { Faker } from '@faker-js/faker';
import type { Entity } from '../contract.js';
import type { IndustrySpec, TypeSpec } from '../core/spec.js';
import { compileField, fakerMethods, type CompiledField } from './fields.js';
import type { CustomIndustryConfig } from './schema.js';

export function compileCustom(config: CustomIndustryConfig, path: string, taken: readonly string[], faker: Faker, currency: string, problems: string[]): IndustrySpec | undefined {
  const before = problems.length;
  if (taken.includes(config.name)) problems.push(`${path}.name: "${config.name}" is already an industry (${taken.join(', ')}); pick another name`);
  const plurals = config.entities.map((e) => e.plural ?? `${e.type}s`);
  const seen = new Map<string, number>();
  plurals.forEach((p, i) => {
    const first = seen.get(p);
    if (first !== undefined) problems.push(`${path}.entities[${i}].plural: "${p}" is also the plural of entities[${first}]`);
    else seen.set(p, i);
  });
  const methods = fakerMethods(faker);
  const types: TypeSpec[] = [];
  config.entities.forEach((e, i) => {
    const at = `${path}.entities[${i}]`;
    const plural = plurals[i];
    const fieldNames = Object.keys(e.fields);
    for (const reserved of ['id', 'type']) if (fieldNames.includes(reserved)) problems.push(`${at}.fields.${reserved}: "${reserved}" is set by the generator; rename the field`);
    let parent: TypeSpec['parent'];
    if (e.parent) {
      const parentIndex = plurals.indexOf(e.parent.type);
      if (parentIndex < 0) problems.push(`${at}.parent.type: "${e.parent.type}" is not an entity of ${config.name} (entities: ${plurals.join(', ')})`);
      else if (parentIndex === i) problems.push(`${at}.parent.type: an entity cannot be its own parent`);
      else {
        const parentType = config.entities[parentIndex].type;
        parent = { name: e.parent.name ?? parentType, plural: e.parent.type, via: e.parent.via ?? `${parentType}Id`, minOne: e.parent.minOne };
        if (fieldNames.includes(parent.via)) problems.push(`${at}.fields.${parent.via}: is the parent's id field (parent.via); remove it`);
      }
    }
    const fields: CompiledField[] = [];
    for (const name of fieldNames) {
      const f = compileField(name, e.fields[name], {
        path: `${at}.fields.${name}`,
        fieldNames: fieldNames.filter((n) => n !== name),
        vocabulary: config.vocabulary,
        types: plurals,
        faker,
        fakerMethods: methods,
        currency,
        problems,
      });
      if (f) fields.push(f);
    }
    const early = fields.filter((f) => !f.late);
    const late = fields.filter((f) => f.late);
    const type: TypeSpec = {
      type: e.type,
      plural,
      idPrefix: e.idPrefix ?? e.type.replace(/[^a-z]/g, '').slice(0, 3).padEnd(2, 'x'),
      description: e.description ?? `${e.type} entities of the ${config.name} industry`,
      count: e.count,
      ...(parent ? { parent } : {}),
      refs: fields.filter((f) => f.ref).map((f) => ({ name: f.name.replace(/Id$/, ''), plural: f.ref!, via: f.name })),
      fields: [...(parent ? [{ name: parent.via, description: `id of its ${parent.name}` }] : []), ...fields.map((f) => ({ name: f.name, description: f.description }))],
      hints: [],
      generate(g): Entity {
        const values: Record<string, unknown> = {};
        for (const f of early) values[f.name] = f.generate(g, values);
        for (const f of late) values[f.name] = f.generate(g, values);
        const ordered: Entity = { id: g.key, type: e.type };
        if (parent) ordered[parent.via] = String(g.parentId());
        for (const name of fieldNames) if (name in values) ordered[name] = values[name];
        return ordered;
      },
      check(r, p) {
        for (const f of fields) {
          if (!f.check || !(f.name in r)) continue;
          const m = f.check(r[f.name]);
          if (m) p.add(f.name, 'custom.field', m);
        }
      },
    };
    types.push(type);
  });
  if (problems.length > before) return undefined;
  return { name: config.name, description: config.description ?? `${config.name} (custom industry)`, source: 'custom', types };
}
