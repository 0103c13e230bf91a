// Small builders for FHIR R4 datatypes (Reference, CodeableConcept, Quantity, HumanName,
// ContactPoint, Identifier), so every resource spells them the same way. Every resource also
// carries the data set's conventions: `type` (the entity type), `id`, and `<name>Id` fields
// beside FHIR references, so REST relations and FHIR readers both work.
import type { Person } from '../core/people.js';
import { MRN_SYSTEM, SSN_SYSTEM } from '../safety/identifiers.js';
import { SYSTEMS } from './codes.js';

export const ref = (resource: string, id: string | number, display?: string) => ({ reference: `${resource}/${id}`, ...(display ? { display } : {}) });

export const concept = (system: string, code: string, display: string, text?: string) => ({ coding: [{ system, code, display }], text: text ?? display });

export const quantity = (value: number, unit: string, code: string) => ({ value, unit, system: SYSTEMS.ucum, code });

export const humanName = (p: Pick<Person, 'givenName' | 'familyName'>, prefix?: string) => ({
  use: 'official',
  family: p.familyName,
  given: [p.givenName],
  ...(prefix ? { prefix: [prefix] } : {}),
});

export const telecom = (p: Pick<Person, 'phone' | 'email'>) => [
  { system: 'phone', value: p.phone, use: 'mobile' },
  { system: 'email', value: p.email, use: 'home' },
];

export const mrnIdentifier = (mrn: string) => ({
  use: 'usual',
  type: concept('http://terminology.hl7.org/CodeSystem/v2-0203', 'MR', 'Medical record number'),
  system: MRN_SYSTEM,
  value: mrn,
});

export const ssnIdentifier = (ssn: string) => ({
  use: 'official',
  type: concept('http://terminology.hl7.org/CodeSystem/v2-0203', 'SS', 'Social Security number'),
  system: SSN_SYSTEM,
  value: ssn,
});

/** FHIR narrative: XHTML with the text escaped. */
export const narrative = (text: string) => ({
  status: 'generated',
  div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p></div>`,
});
