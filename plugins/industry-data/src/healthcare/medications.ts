// FHIR R4 MedicationRequest resources that fit their condition: each is a child of a
// Condition and prescribes one of the catalogue's RxNorm medications for it, with the
// paediatric dosage for children; active while the condition is, completed after.
import type { Entity } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { CONDITIONS, SYSTEMS } from './codes.js';
import { conditionByKey } from './conditions.js';
import { ref } from './fhir.js';
import { patientAge } from './patients.js';

export const medicationRequests: TypeSpec = {
  type: 'medication-request',
  plural: 'medication-requests',
  idPrefix: 'med',
  description: 'FHIR R4 MedicationRequest resources prescribing an RxNorm medication that treats their condition, with paediatric dosages for children.',
  count: 1800,
  parent: { name: 'condition', plural: 'conditions', via: 'conditionId', minOne: true },
  refs: [{ name: 'patient', plural: 'patients', via: 'patientId' }, { name: 'requester', plural: 'practitioners', via: 'practitionerId' }],
  fields: [
    { name: 'resourceType, status, intent', description: 'MedicationRequest; active|completed; order' },
    { name: 'conditionId, patientId, practitionerId', description: 'the condition it treats (reasonReference), the patient, the prescriber' },
    { name: 'medicationCodeableConcept', description: 'RxNorm coding' },
    { name: 'dosageInstruction[]', description: 'text (paediatric for children)' },
    { name: 'authoredOn', description: 'ISO instant after the condition\'s onset' },
  ],
  hints: [],
  generate(g): Entity {
    const condition = g.parent();
    const patient = g.get('patients', Number(condition.patientId));
    const entry = conditionByKey(condition.conditionKey)!;
    const { index } = g.siblings();
    const med = entry.medications[Math.max(0, index) % entry.medications.length];
    const child = patientAge(patient, g.epoch) < 18;
    const active = (condition.clinicalStatus as { coding: Array<{ code: string }> }).coding[0].code === 'active';
    const authored = Math.min(g.epoch - DAY, Date.parse(String(condition.onsetDateTime)) + g.rng.int(0, 10) * DAY);
    return {
      id: g.key,
      type: 'medication-request',
      resourceType: 'MedicationRequest',
      status: active ? 'active' : 'completed',
      intent: 'order',
      conditionId: condition.id,
      patientId: condition.patientId,
      practitionerId: patient.practitionerId,
      subject: condition.subject,
      requester: (patient.generalPractitioner as unknown[])[0],
      reasonReference: [ref('Condition', String(condition.id), entry.display)],
      medicationCodeableConcept: { coding: [{ system: SYSTEMS.rxnorm, code: med.rxnorm, display: med.display }], text: med.display },
      dosageInstruction: [{ sequence: 1, text: child && med.paediatricDosage ? med.paediatricDosage : med.dosage }],
      authoredOn: iso(authored),
    };
  },
  check(r: Entity, p: Problems) {
    const rx = (r.medicationCodeableConcept as { coding: Array<{ code: string }> }).coding[0]?.code;
    const treats = (r.reasonReference as Array<{ display?: string }>)[0]?.display;
    if (!rx) return p.add('medicationCodeableConcept', 'clinical.code', 'no RxNorm coding');
    const condition = CONDITIONS.find((c) => c.display === treats);
    if (!condition) return p.add('reasonReference', 'clinical.fit', `"${treats}" is not a condition of the catalogue`);
    if (!condition.medications.some((m) => m.rxnorm === rx)) p.add('medicationCodeableConcept', 'clinical.fit', `RxNorm ${rx} does not treat ${condition.display} (${condition.medications.map((m) => m.rxnorm).join(', ')} do)`);
  },
};
