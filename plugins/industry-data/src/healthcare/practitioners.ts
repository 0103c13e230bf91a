// FHIR R4 Practitioner resources: clinicians with a specialty, a qualification and an
// identifier from a fictional issuer (not an NPI: real NPIs are Luhn-checked numbers that may
// exist). A practitioner's specialty is a function of the id alone, so a patient can pick a
// paediatrician without generating every practitioner.
import type { Entity } from '../contract.js';
import type { Gen } from '../core/gen.js';
import { makePerson } from '../core/people.js';
import type { TypeSpec } from '../core/spec.js';
import { PRACTITIONER_SYSTEM } from '../safety/identifiers.js';
import { SPECIALTIES, SYSTEMS } from './codes.js';
import { concept, humanName, telecom } from './fhir.js';

/** Family practice 4 in 10, paediatrics 2 in 10, the other specialties 1 in 10 each. */
export function specialtyOf(id: number) {
  const slot = id % 10;
  return slot < 4 ? SPECIALTIES[0] : slot < 6 ? SPECIALTIES[1] : SPECIALTIES[slot - 4];
}

/** A practitioner for a patient: a paediatrician for children, family practice otherwise. */
export function pickPractitioner(g: Gen, child: boolean): { id: number; name: string } {
  const count = g.count('practitioners');
  if (count === 0) return { id: 0, name: '' };
  const wanted = child ? SPECIALTIES[1] : SPECIALTIES[0];
  let id = g.rng.int(1, count);
  for (let tries = 0; tries < 30 && specialtyOf(id) !== wanted; tries++) id = g.rng.int(1, count);
  const p = g.get('practitioners', id);
  return { id, name: String(p.displayName) };
}

const QUALIFICATIONS = [
  { code: 'MD', display: 'Doctor of Medicine' },
  { code: 'DO', display: 'Doctor of Osteopathy' },
  { code: 'NP', display: 'Nurse practitioner' },
];

export const practitioners: TypeSpec = {
  type: 'practitioner',
  plural: 'practitioners',
  idPrefix: 'prc',
  description: 'FHIR R4 Practitioner resources: clinicians with specialty, qualification and a fictional identifier.',
  count: 60,
  fields: [
    { name: 'resourceType, identifier[]', description: 'Practitioner; system https://example.org/fhir/sid/practitioner, PRAC-nnnnn' },
    { name: 'name[], displayName, gender', description: 'HumanName with prefix Dr; "Dr Ana Ruiz"' },
    { name: 'telecom[]', description: 'fictional phone, RFC 2606 e-mail' },
    { name: 'qualification[], specialty', description: 'MD/DO/NP; SNOMED CT specialty' },
  ],
  hints: [{ key: 'name', description: 'full name' }],
  generate(g): Entity {
    const person = makePerson(g, { minAge: 29, maxAge: 66 });
    const q = g.rng.pick(QUALIFICATIONS);
    const prefix = q.code === 'NP' ? undefined : 'Dr';
    const specialty = specialtyOf(g.id);
    return {
      id: g.key,
      type: 'practitioner',
      resourceType: 'Practitioner',
      identifier: [{ system: PRACTITIONER_SYSTEM, value: `PRAC-${String(g.id).padStart(5, '0')}` }],
      active: true,
      name: [humanName(person, prefix)],
      displayName: `${prefix ? `${prefix} ` : ''}${person.fullName}${prefix ? '' : ', NP'}`,
      gender: person.sex,
      telecom: telecom({ phone: person.phone, email: person.email.replace(/@.*/, '@clinic.example.org') }),
      qualification: [{ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0360', code: q.code, display: q.display }], text: q.display } }],
      specialty: concept(SYSTEMS.snomed, specialty.snomed, specialty.display),
    };
  },
};
