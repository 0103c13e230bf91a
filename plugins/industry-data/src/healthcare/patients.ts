// FHIR R4 Patient resources: fictional MRN (Luhn check digit, example.org issuer) and an
// SSN-like number from area 9xx, group 01–49 (never issued, not an ITIN), name, gender, birth
// date (about one patient in five is a child), safe telecom and address, and a general
// practitioner (a paediatrician for children). Hints: `name`, `sex`/`gender`, `age`/`birthDate`,
// `conditions` (keys of the condition catalogue: each becomes one of her conditions).
import type { Entity, Hints } from '../contract.js';
import type { Gen } from '../core/gen.js';
import { makePerson } from '../core/people.js';
import type { Demand, TypeSpec } from '../core/spec.js';
import { ageAt } from '../core/time.js';
import { makeMrn, makeSsn } from '../safety/identifiers.js';
import { CONDITION_KEYS } from './codes.js';
import { humanName, mrnIdentifier, ref, ssnIdentifier, telecom } from './fhir.js';
import { pickPractitioner } from './practitioners.js';

export function patientAge(p: Entity, epoch: number): number {
  return ageAt(Date.parse(String(p.birthDate)), epoch);
}

export const patients: TypeSpec = {
  type: 'patient',
  plural: 'patients',
  idPrefix: 'pat',
  description: 'FHIR R4 Patient resources with fictional MRNs and reserved-range SSN-like identifiers; about a fifth are children.',
  count: 1000,
  fields: [
    { name: 'resourceType', description: 'Patient' },
    { name: 'identifier[]', description: 'MRN (system https://example.org/fhir/sid/mrn, MRN-nnnnnnnc) and SSN-like 9xx-xx-xxxx (system http://hl7.org/fhir/sid/us-ssn)' },
    { name: 'mrn, ssn', description: 'the same two identifiers, flat' },
    { name: 'name[], gender, birthDate, age', description: 'HumanName; female|male; ISO date; years at the epoch' },
    { name: 'telecom[], address[]', description: 'fictional phone, RFC 2606 e-mail; address' },
    { name: 'maritalStatus, communication', description: 'CodeableConcepts' },
    { name: 'generalPractitioner[], practitionerId', description: 'Reference to a Practitioner (paediatrics for children)' },
  ],
  hints: [
    { key: 'name', description: 'full name' },
    { key: 'sex / gender', description: 'female | male' },
    { key: 'age / birthDate', description: 'years at the epoch, or ISO date (under 18: paediatric values everywhere)' },
    { key: 'conditions', description: `condition keys, each one of her conditions (with fitting medications): ${CONDITION_KEYS.join(', ')}` },
  ],
  demands: (hints: Hints): Demand[] => (Array.isArray(hints.conditions) ? hints.conditions : []).filter((k): k is string => typeof k === 'string' && CONDITION_KEYS.includes(k)).map((k) => ({ plural: 'conditions', hints: { condition: k } })),
  generate(g: Gen): Entity {
    const child = g.rng.chance(0.2);
    const person = makePerson(g, child ? { minAge: 0, maxAge: 17 } : { minAge: 18, maxAge: 94 });
    const age = ageAt(person.birthMs, g.epoch);
    const gp = pickPractitioner(g, age < 18);
    const mrn = makeMrn(1_000_000 + g.id);
    const ssn = makeSsn(g.rng);
    return {
      id: g.key,
      type: 'patient',
      resourceType: 'Patient',
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/Patient'] },
      identifier: [mrnIdentifier(mrn), ssnIdentifier(ssn)],
      mrn,
      ssn,
      active: true,
      name: [humanName(person)],
      gender: person.sex,
      birthDate: person.birthDate,
      age,
      telecom: telecom(person),
      address: [{ use: 'home', line: [person.address.line1], city: person.address.city, state: person.address.state, postalCode: person.address.postalCode, country: person.address.country }],
      maritalStatus:
        age < 18
          ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'S', display: 'Never Married' }], text: 'Never Married' }
          : g.rng.pick([
              { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M', display: 'Married' }], text: 'Married' },
              { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'S', display: 'Never Married' }], text: 'Never Married' },
              { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'D', display: 'Divorced' }], text: 'Divorced' },
            ]),
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en-US', display: 'English (United States)' }], text: 'English' }, preferred: true }],
      generalPractitioner: [ref('Practitioner', gp.id, gp.name)],
      practitionerId: String(gp.id),
    };
  },
};
