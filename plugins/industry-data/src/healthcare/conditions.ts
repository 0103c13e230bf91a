// FHIR R4 Condition resources from the catalogue (SNOMED CT + ICD-10-CM), fitting the patient's
// age: children get paediatric conditions (otitis media, asthma, allergic rhinitis), adults the
// adult ones. A patient's conditions are distinct. Hints: `condition` (a catalogue key).
import type { Entity } from '../contract.js';
import type { Gen } from '../core/gen.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { CONDITIONS, SYSTEMS, type ConditionCode } from './codes.js';
import { concept, ref } from './fhir.js';
import { patientAge } from './patients.js';

export function conditionsFor(age: number): readonly ConditionCode[] {
  return CONDITIONS.filter((c) => c.ages === 'any' || (age < 18 ? c.ages === 'child' : c.ages === 'adult'));
}

export const conditionByKey = (key: unknown) => CONDITIONS.find((c) => c.key === key);
export const conditionBySnomed = (code: unknown) => CONDITIONS.find((c) => c.snomed === code);

/** The catalogue entry of condition `id` (cheap: no faker), so encounters and observations can read it. */
export function conditionCodeOf(g: Gen, id: number, patient: Entity): ConditionCode {
  const hinted = conditionByKey(g.hintsOf('conditions', id).condition);
  if (hinted) return hinted;
  const patientId = Number(patient.id);
  const candidates = conditionsFor(patientAge(patient, g.epoch));
  const siblings = g.childrenOf('patients', patientId, 'conditions');
  const base = g.streamOf('patients', patientId, 'conditions').int(0, candidates.length - 1);
  return candidates[(base + Math.max(0, siblings.indexOf(id))) % candidates.length];
}

export const conditions: TypeSpec = {
  type: 'condition',
  plural: 'conditions',
  idPrefix: 'cnd',
  description: "FHIR R4 Condition resources with SNOMED CT and ICD-10-CM codes that fit the patient's age.",
  count: 1500,
  parent: { name: 'patient', plural: 'patients', via: 'patientId' },
  fields: [
    { name: 'resourceType, patientId, subject', description: 'Condition; the patient (id and Reference)' },
    { name: 'code', description: 'CodeableConcept with SNOMED CT and ICD-10-CM codings' },
    { name: 'conditionKey', description: 'the catalogue key (hypertension, type-2-diabetes, asthma, …)' },
    { name: 'clinicalStatus, verificationStatus, category', description: 'active|resolved; confirmed; problem-list-item' },
    { name: 'onsetDateTime, recordedDate, abatementDateTime', description: 'ISO instants' },
  ],
  hints: [{ key: 'condition', description: CONDITIONS.map((c) => c.key).join(' | ') }],
  generate(g): Entity {
    const patient = g.parent();
    const c = conditionCodeOf(g, g.id, patient);
    const birth = Date.parse(String(patient.birthDate));
    const from = Math.max(birth + 180 * DAY, g.epoch - 15 * 365 * DAY);
    const onset = from + Math.floor(g.rng.next() * Math.max(DAY, g.epoch - 30 * DAY - from));
    const resolved = c.key === 'otitis-media' ? g.rng.chance(0.8) : g.rng.chance(0.05);
    const name = (patient.name as Array<{ given: string[]; family: string }>)[0];
    return {
      id: g.key,
      type: 'condition',
      resourceType: 'Condition',
      patientId: String(g.parentId()),
      subject: ref('Patient', g.parentId(), `${name.given[0]} ${name.family}`),
      conditionKey: c.key,
      clinicalStatus: concept(SYSTEMS.conditionClinical, resolved ? 'resolved' : 'active', resolved ? 'Resolved' : 'Active'),
      verificationStatus: concept(SYSTEMS.conditionVerification, 'confirmed', 'Confirmed'),
      category: [concept('http://terminology.hl7.org/CodeSystem/condition-category', 'problem-list-item', 'Problem List Item')],
      code: { coding: [{ system: SYSTEMS.snomed, code: c.snomed, display: c.display }, { system: SYSTEMS.icd10, code: c.icd10, display: c.icd10Display }], text: c.display },
      onsetDateTime: iso(onset),
      recordedDate: iso(onset + g.rng.int(0, 14) * DAY),
      ...(resolved ? { abatementDateTime: iso(Math.min(g.epoch - DAY, onset + g.rng.int(7, 40) * DAY)) } : {}),
    };
  },
  check(r: Entity, p: Problems) {
    const codings = (r.code as { coding: Array<{ system: string; code: string }> }).coding;
    const snomed = codings.find((c) => c.system === SYSTEMS.snomed)?.code;
    const entry = conditionBySnomed(snomed);
    if (!entry) return p.add('code', 'clinical.code', `SNOMED CT ${snomed} is not in the condition catalogue`);
    const icd = codings.find((c) => c.system === SYSTEMS.icd10)?.code;
    if (icd !== entry.icd10) p.add('code', 'clinical.code', `ICD-10-CM ${icd} does not match SNOMED CT ${snomed} (${entry.icd10})`);
  },
};
