// People shared by every industry: a name from faker (seeded by the entity), a birth date
// before the epoch, and contact details that are safe by construction (RFC 2606 e-mail,
// fictional phone ranges). Invented names are never paired with real identifiers: every
// identifier next to them comes from a reserved or fictional range.
import type { Hints } from '../contract.js';
import { makeEmail, makePhone, SAFE_EMAIL_DOMAINS } from '../safety/contact.js';
import type { Gen } from './gen.js';
import { DAY, isoDate } from './time.js';

export interface Person {
  givenName: string;
  familyName: string;
  fullName: string;
  sex: 'female' | 'male';
  birthDate: string;
  birthMs: number;
  email: string;
  phone: string;
  address: { line1: string; city: string; postalCode: string; state: string; country: string };
}

/** Splits a hinted full name ("Maria Chen", "Ana María de la Cruz") into given and family names. */
export function splitName(name: string): { givenName: string; familyName: string } {
  const parts = name.trim().split(/\s+/);
  if (parts.length === 1) return { givenName: parts[0], familyName: parts[0] };
  return { givenName: parts[0], familyName: parts.slice(1).join(' ') };
}

export function makePerson(g: Gen, opts: { minAge: number; maxAge: number; hints?: Hints; country?: 'US' | 'GB' }): Person {
  const hints = opts.hints ?? g.hints;
  const f = g.faker;
  const sex: 'female' | 'male' = hints.sex === 'male' || hints.sex === 'female' ? hints.sex : hints.gender === 'male' || hints.gender === 'female' ? hints.gender : g.rng.chance(0.5) ? 'female' : 'male';
  let givenName = f.person.firstName(sex);
  let familyName = f.person.lastName();
  if (typeof hints.name === 'string' && hints.name.trim()) ({ givenName, familyName } = splitName(hints.name));
  let birthMs: number;
  if (typeof hints.birthDate === 'string' && !Number.isNaN(Date.parse(hints.birthDate))) birthMs = Date.parse(hints.birthDate);
  else {
    const age = typeof hints.age === 'number' ? hints.age : g.rng.int(opts.minAge, opts.maxAge);
    birthMs = g.epoch - age * 365.25 * DAY - g.rng.int(1, 360) * DAY;
  }
  const country = opts.country ?? 'US';
  const address = {
    line1: f.location.streetAddress(),
    city: f.location.city(),
    postalCode: f.location.zipCode('#####'),
    state: f.location.state({ abbreviated: true }),
    country,
  };
  return {
    givenName,
    familyName,
    fullName: `${givenName} ${familyName}`,
    sex,
    birthDate: isoDate(birthMs),
    birthMs,
    email: typeof hints.email === 'string' ? hints.email : makeEmail([givenName, familyName], g.key, SAFE_EMAIL_DOMAINS[g.id % SAFE_EMAIL_DOMAINS.length]),
    phone: makePhone(g.rng, country),
    address,
  };
}
