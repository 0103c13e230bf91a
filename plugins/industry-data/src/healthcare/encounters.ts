// FHIR R4 Encounter resources: a patient's visits over the three years before the epoch, in
// order, with a SNOMED CT encounter type (well-child visits for children), a v3 ActCode class,
// the practitioner, a reason taken from the patient's own conditions, and a short clinical note
// from templates. FHIR's Encounter.type is carried as `serviceType`: `type` is the entity type.
import type { Entity } from '../contract.js';
import type { Gen } from '../core/gen.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso, MINUTE } from '../core/time.js';
import { compose } from '../text/template.js';
import { ENCOUNTER_TYPES, SYSTEMS, type ConditionCode } from './codes.js';
import { conditionCodeOf } from './conditions.js';
import { concept, narrative, ref } from './fhir.js';
import { patientAge } from './patients.js';
import { CLINICAL_WORDS, NOTE_TEMPLATES } from './vocabulary.js';

/** "Maria Chen" from a Patient's first HumanName. */
export function displayName(patient: Entity): string {
  const n = (patient.name as Array<{ given: string[]; family: string }>)[0];
  return `${n.given[0]} ${n.family}`;
}

export const WINDOW = 3 * 365 * DAY;

/** The patient's conditions with their catalogue entries (for reasons, labs and vitals). */
export function patientConditions(g: Gen, patient: Entity): Array<{ id: number; code: ConditionCode }> {
  return g.memo(`conditions/${patient.id}`, () => g.childrenOf('patients', Number(patient.id), 'conditions').map((id) => ({ id, code: conditionCodeOf(g, id, patient) })));
}

/** When an encounter starts: its patient's encounters are spread evenly over the window, in id order. */
export function encounterStart(g: Gen, patientId: number, encounterId: number, bornAt: number): { start: number; first: number } {
  const { ids, times } = g.memo(`visits/${patientId}`, () => {
    const ids = g.childrenOf('patients', patientId, 'encounters');
    // visits fall in the three years before the epoch, but never before a week after birth
    // (an infant's observations dated before she was born had newborn weights of 0.5 kg)
    const from = Math.max(g.epoch - WINDOW, (Number.isFinite(bornAt) ? bornAt : -Infinity) + 7 * DAY);
    const window = Math.max(DAY, g.epoch - from);
    const spacing = window / (ids.length + 1);
    return { ids, times: ids.map((id, i) => from + (i + 1) * spacing + Math.floor(g.streamOf('encounters', id, 'time').next() * spacing * 0.5)) };
  });
  return { start: times[Math.max(0, ids.indexOf(encounterId))] ?? g.epoch, first: times[0] ?? g.epoch };
}

export const encounters: TypeSpec = {
  type: 'encounter',
  plural: 'encounters',
  idPrefix: 'enc',
  description: "FHIR R4 Encounter resources: a patient's visits in order, with type, class, practitioner, reason and a clinical note.",
  count: 5000,
  parent: { name: 'patient', plural: 'patients', via: 'patientId', minOne: true },
  refs: [{ name: 'practitioner', plural: 'practitioners', via: 'practitionerId' }],
  fields: [
    { name: 'resourceType, status, class', description: 'Encounter; finished; v3 ActCode AMB|EMER' },
    { name: 'serviceType', description: "SNOMED CT encounter type (FHIR's Encounter.type)" },
    { name: 'patientId, subject, practitionerId, participant[]', description: 'ids and References' },
    { name: 'period', description: 'start / end ISO instants, ascending per patient' },
    { name: 'reasonCode[], reasonReference[], conditionId', description: "one of the patient's conditions, when she has any" },
    { name: 'text, note', description: 'clinical note (FHIR narrative and plain text)' },
  ],
  hints: [],
  generate(g): Entity {
    const patient = g.parent();
    const age = patientAge(patient, g.epoch);
    const conditions = patientConditions(g, patient);
    const { start } = encounterStart(g, g.parentId(), g.id, Date.parse(String(patient.birthDate)));
    const reason = conditions.length && g.rng.chance(0.7) ? g.rng.pick(conditions) : undefined;
    const kind = age < 18 && !reason ? ENCOUNTER_TYPES[4] : reason ? g.rng.pick([ENCOUNTER_TYPES[1], ENCOUNTER_TYPES[2], ENCOUNTER_TYPES[1]]) : g.rng.pick([ENCOUNTER_TYPES[0], ENCOUNTER_TYPES[2], ENCOUNTER_TYPES[0], ENCOUNTER_TYPES[3]]);
    const end = start + (kind.minutes + g.rng.int(-5, 20)) * MINUTE;
    const sex = patient.gender === 'female' ? (age < 18 ? 'girl' : 'woman') : age < 18 ? 'boy' : 'man';
    const templates = age < 18 ? NOTE_TEMPLATES.child : NOTE_TEMPLATES.adult;
    const note = compose(templates, g.rng, CLINICAL_WORDS, {
      age: Math.max(0, Math.floor(age - (g.epoch - start) / (365.25 * DAY))),
      sex,
      reason: reason ? reason.code.display.toLowerCase() : kind.display.toLowerCase(),
      plan2: g.rng.pick(CLINICAL_WORDS.plan),
    });
    const practitioner = (patient.generalPractitioner as Array<{ reference: string; display?: string }>)[0];
    return {
      id: g.key,
      type: 'encounter',
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: SYSTEMS.actCode, code: kind.actClass, display: kind.actClass === 'EMER' ? 'emergency' : 'ambulatory' },
      serviceType: concept(SYSTEMS.snomed, kind.snomed, kind.display),
      patientId: String(g.parentId()),
      subject: ref('Patient', g.parentId(), displayName(patient)),
      practitionerId: patient.practitionerId,
      participant: [{ individual: practitioner }],
      period: { start: iso(start), end: iso(end) },
      ...(reason
        ? { conditionId: String(reason.id), reasonCode: [concept(SYSTEMS.snomed, reason.code.snomed, reason.code.display)], reasonReference: [ref('Condition', reason.id, reason.code.display)] }
        : {}),
      text: narrative(note),
      note,
    };
  },
};
