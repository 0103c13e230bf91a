// One generator per custom field, compiled once from its config: a faker method (resolved and
// checked when the config is read), an enum with weights, ranges, money, dates relative to the
// epoch, a template over the entity's other fields and the industry's vocabulary, a reference
// to another entity, or a safe identifier from safety/. Faker methods that would produce
// reachable or real-looking identifiers are refused with the safe generator to use instead.
import type { Faker } from '@faker-js/faker';
import type { Gen } from '../core/gen.js';
import { nearest } from '../core/suggest.js';
import { DAY, iso, isoDate } from '../core/time.js';
import { TEST_CARDS } from '../safety/cards.js';
import { makeEmail, makeIpv4, makePhone } from '../safety/contact.js';
import { makeIban } from '../safety/iban.js';
import { makeMrn, makeSsn } from '../safety/identifiers.js';
import { fill, type Vocabulary } from '../text/template.js';
import type { FieldConfig } from './schema.js';

export type FieldGenerator = (g: Gen, values: Record<string, unknown>) => unknown;

export interface CompiledField {
  name: string;
  kind: string;
  description: string;
  /** Template fields run after the others, so they can use them. */
  late: boolean;
  generate: FieldGenerator;
  /** For the validator: a value outside what the field can produce. */
  check?: (value: unknown) => string | undefined;
  ref?: string;
}

const GENERATOR_KEYS = ['faker', 'enum', 'int', 'number', 'money', 'date', 'template', 'ref', 'safe', 'sequence', 'boolean', 'value'] as const;

/** Faker methods that may yield a real person's or bank's contact or identifier, and the safe way. */
export const UNSAFE_FAKER: Record<string, string> = {
  'internet.email': '{ safe: email }',
  'internet.ip': '{ safe: ip }',
  'internet.ipv4': '{ safe: ip }',
  'internet.ipv6': '{ safe: ip }',
  'internet.url': '{ safe: url }',
  'internet.domainName': '{ safe: url }',
  'phone.number': '{ safe: phone }',
  'phone.imei': '{ safe: uuid }',
  'finance.creditCardNumber': '{ safe: card }',
  'finance.iban': '{ safe: iban }',
  'finance.bic': '{ safe: bic }',
  'finance.accountNumber': '{ safe: iban }',
  'finance.routingNumber': '{ safe: iban }',
  'finance.bitcoinAddress': '{ safe: uuid }',
  'finance.ethereumAddress': '{ safe: uuid }',
  'finance.litecoinAddress': '{ safe: uuid }',
  'lorem.word': '{ template } with a vocabulary',
  'lorem.words': '{ template } with a vocabulary',
  'lorem.sentence': '{ template } with a vocabulary',
  'lorem.sentences': '{ template } with a vocabulary',
  'lorem.paragraph': '{ template } with a vocabulary',
  'lorem.paragraphs': '{ template } with a vocabulary',
  'lorem.text': '{ template } with a vocabulary',
  'lorem.lines': '{ template } with a vocabulary',
  'lorem.slug': '{ template } with a vocabulary',
};

const SLOT = /\{(\w+)\}/g;

function jsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** Faker modules and their methods, for checks and "did you mean". */
export function fakerMethods(faker: Faker): string[] {
  const out: string[] = [];
  for (const moduleName of Object.keys(faker)) {
    const mod = (faker as unknown as Record<string, unknown>)[moduleName];
    if (!mod || typeof mod !== 'object' || moduleName.startsWith('_') || moduleName === 'rawDefinitions' || moduleName === 'definitions') continue;
    let proto: object | null = mod as object;
    const names = new Set<string>();
    while (proto && proto !== Object.prototype) {
      for (const n of Object.getOwnPropertyNames(proto)) if (n !== 'constructor' && !n.startsWith('_') && typeof (mod as Record<string, unknown>)[n] === 'function') names.add(n);
      proto = Object.getPrototypeOf(proto);
    }
    for (const n of names) out.push(`${moduleName}.${n}`);
  }
  return out.sort();
}

export interface FieldContext {
  path: string;
  fieldNames: string[];
  vocabulary: Vocabulary;
  types: string[];
  faker: Faker;
  fakerMethods: string[];
  currency: string;
  problems: string[];
}

export function compileField(name: string, raw: FieldConfig, ctx: FieldContext): CompiledField | undefined {
  const spec = typeof raw === 'string' ? { faker: raw } : raw;
  const keys = GENERATOR_KEYS.filter((k) => (spec as Record<string, unknown>)[k] !== undefined);
  const problem = (m: string) => {
    ctx.problems.push(`${ctx.path}: ${m}`);
    return undefined;
  };
  if (keys.length !== 1) return problem(keys.length ? `has ${keys.join(' and ')}; give exactly one generator` : `needs one generator: ${GENERATOR_KEYS.join(', ')}`);
  const kind = keys[0];
  const base = { name, kind, description: spec.description ?? kind, late: false };
  switch (kind) {
    case 'faker': {
      const method = spec.faker!;
      if (UNSAFE_FAKER[method]) return problem(`faker method "${method}" may produce real identifiers or filler text; use ${UNSAFE_FAKER[method]}`);
      if (!ctx.fakerMethods.includes(method)) {
        const near = nearest(method, ctx.fakerMethods);
        return problem(`"${method}" is not a faker method${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : ''}; write it as module.method, e.g. person.fullName`);
      }
      const [mod, fn] = method.split('.');
      const args = spec.args ?? [];
      return { ...base, description: spec.description ?? `faker ${method}`, generate: (g) => jsonValue(((g.faker as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[mod][fn])(...args)) };
    }
    case 'enum': {
      const values = spec.enum!;
      const weights = spec.weights;
      if (weights && weights.length !== values.length) return problem(`weights has ${weights.length} entries for ${values.length} enum values`);
      const total = weights?.reduce((s, w) => s + w, 0) ?? 0;
      if (weights && total <= 0) return problem('weights must not all be 0');
      return {
        ...base,
        description: spec.description ?? `one of ${values.join(', ')}`,
        generate: (g) => {
          if (!weights) return g.rng.pick(values);
          let r = g.rng.next() * total;
          for (let i = 0; i < values.length; i++) if ((r -= weights[i]) < 0) return values[i];
          return values[values.length - 1];
        },
        check: (v) => (values.includes(v as never) ? undefined : `${JSON.stringify(v)} is not one of ${values.join(', ')}`),
      };
    }
    case 'int':
    case 'number': {
      const [min, max] = (kind === 'int' ? spec.int : spec.number)!;
      if (min > max) return problem(`[${min}, ${max}]: min is above max`);
      const decimals = spec.decimals ?? 2;
      return {
        ...base,
        description: spec.description ?? `${kind} from ${min} to ${max}`,
        generate: (g) => (kind === 'int' ? g.rng.int(min, max) : Math.round((min + (max - min) * g.rng.next()) * 10 ** decimals) / 10 ** decimals),
        check: (v) => (typeof v === 'number' && v >= min && v <= max ? undefined : `${JSON.stringify(v)} is outside [${min}, ${max}]`),
      };
    }
    case 'money': {
      const m = spec.money!;
      if (m.min > m.max) return problem(`money min ${m.min} is above max ${m.max}`);
      return { ...base, description: spec.description ?? `Money from ${m.min} to ${m.max} minor units`, generate: (g) => g.money(g.rng.int(m.min, m.max), m.currency ?? ctx.currency) };
    }
    case 'date': {
      const d = spec.date!;
      if (d.fromDays > d.toDays) return problem(`date fromDays ${d.fromDays} is after toDays ${d.toDays}`);
      return {
        ...base,
        description: spec.description ?? `date ${d.fromDays} to ${d.toDays} days from the epoch`,
        generate: (g) => {
          const ms = g.epoch + d.fromDays * DAY + Math.floor(g.rng.next() * (d.toDays - d.fromDays) * DAY);
          return d.dateOnly ? isoDate(ms) : iso(ms);
        },
      };
    }
    case 'template': {
      const template = spec.template!;
      for (const m of template.matchAll(SLOT)) {
        const slot = m[1];
        if (slot !== 'id' && !ctx.fieldNames.includes(slot) && !(slot in ctx.vocabulary)) {
          const near = nearest(slot, [...ctx.fieldNames, ...Object.keys(ctx.vocabulary)]);
          problem(`template slot {${slot}} is neither a field of this entity nor a vocabulary list${near.length ? ` (did you mean {${near[0]}}?)` : ''}`);
        }
      }
      return {
        ...base,
        late: true,
        generate: (g, values) => {
          const strings: Record<string, string | number> = { id: g.key };
          for (const [k, v] of Object.entries(values)) if (typeof v === 'string' || typeof v === 'number') strings[k] = v;
          return fill(template, g.rng, ctx.vocabulary, strings);
        },
      };
    }
    case 'ref': {
      const target = spec.ref!;
      if (!ctx.types.includes(target)) {
        const near = nearest(target, ctx.types);
        return problem(`ref "${target}" is not an entity of this industry${near.length ? ` (did you mean "${near[0]}"?)` : ''}; entities: ${ctx.types.join(', ')}`);
      }
      return { ...base, description: spec.description ?? `id of a ${target} entity`, ref: target, generate: (g) => String(g.pick(target) || '') || null };
    }
    case 'safe': {
      const s = spec.safe!;
      const make: Record<string, FieldGenerator> = {
        email: (g) => makeEmail([g.faker.person.firstName(), g.faker.person.lastName()], g.key),
        phone: (g) => makePhone(g.rng),
        ip: (g) => makeIpv4(g.rng),
        url: (g) => `https://www.example.com/${g.spec.plural}/${g.key}`,
        ssn: (g) => makeSsn(g.rng),
        mrn: (g) => makeMrn(g.id),
        iban: (g) => makeIban('09080706', String(g.rng.int(1, 9_999_999_999))),
        bic: () => 'UNDSDEX0',
        card: (g) => g.rng.pick(TEST_CARDS).number,
        uuid: (g) => g.faker.string.uuid(),
      };
      return { ...base, description: spec.description ?? `safe ${s}`, generate: make[s] };
    }
    case 'sequence': {
      const prefix = spec.sequence!;
      return { ...base, description: spec.description ?? `${prefix}000042`, generate: (g) => `${prefix}${String(g.id).padStart(6, '0')}` };
    }
    case 'boolean': {
      const p = spec.boolean!;
      return { ...base, description: spec.description ?? `true with probability ${p}`, generate: (g) => g.rng.chance(p) };
    }
    default: {
      const value = spec.value;
      return { ...base, description: spec.description ?? 'constant', generate: () => structuredClone(value) };
    }
  }
}
