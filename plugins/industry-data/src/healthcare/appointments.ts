// FHIR R4 Appointment resources: a patient's bookings in the 60 days around the epoch —
// fulfilled (or missed, or cancelled) before it, booked after — with her practitioner and a
// description naming one of her conditions. Hints: `status`.
import type { Entity } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, HOUR, iso, MINUTE } from '../core/time.js';
import { fill } from '../text/template.js';
import { SYSTEMS } from './codes.js';
import { displayName, patientConditions } from './encounters.js';
import { concept, ref } from './fhir.js';
import { APPOINTMENT_TEMPLATES } from './vocabulary.js';

export const appointments: TypeSpec = {
  type: 'appointment',
  plural: 'appointments',
  idPrefix: 'apt',
  description: 'FHIR R4 Appointment resources around the epoch: fulfilled, missed or cancelled before it, booked after.',
  count: 2000,
  parent: { name: 'patient', plural: 'patients', via: 'patientId' },
  refs: [{ name: 'practitioner', plural: 'practitioners', via: 'practitionerId' }],
  fields: [
    { name: 'resourceType, status', description: 'Appointment; booked|fulfilled|noshow|cancelled' },
    { name: 'serviceType[], appointmentType, description', description: 'SNOMED CT; v2 0276 ROUTINE|FOLLOWUP; templated text' },
    { name: 'start, end, minutesDuration', description: 'ISO instants within 60 days of the epoch' },
    { name: 'patientId, practitionerId, participant[]', description: 'ids and References with participation status' },
  ],
  hints: [{ key: 'status', description: 'booked | fulfilled | noshow | cancelled (a booked one lies after the epoch)' }],
  generate(g): Entity {
    const patient = g.parent();
    const conditions = patientConditions(g, patient);
    const hinted = typeof g.hints.status === 'string' ? g.hints.status : undefined;
    const future = hinted ? hinted === 'booked' : g.rng.chance(0.45);
    const day = future ? g.rng.int(1, 60) : -g.rng.int(1, 60);
    const start = Math.floor((g.epoch + day * DAY) / DAY) * DAY + g.rng.int(8, 16) * HOUR + g.rng.pick([0, 15, 30, 45]) * MINUTE;
    const minutes = g.rng.pick([15, 20, 30, 45]);
    const status = hinted ?? (future ? 'booked' : g.rng.pick(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'noshow', 'cancelled']));
    const condition = conditions.length ? g.rng.pick(conditions).code.display.toLowerCase() : 'general health';
    const description = fill(g.rng.pick(APPOINTMENT_TEMPLATES), g.rng, {}, { condition });
    const gp = (patient.generalPractitioner as Array<{ reference: string; display?: string }>)[0];
    return {
      id: g.key,
      type: 'appointment',
      resourceType: 'Appointment',
      status,
      serviceType: [concept(SYSTEMS.snomed, description.startsWith('Follow-up') ? '390906007' : '185349003', description.startsWith('Follow-up') ? 'Follow-up encounter' : 'Encounter for check up')],
      appointmentType: concept('http://terminology.hl7.org/CodeSystem/v2-0276', description.startsWith('Follow-up') ? 'FOLLOWUP' : 'ROUTINE', description.startsWith('Follow-up') ? 'A follow up visit from a previous appointment' : 'Routine appointment'),
      description,
      start: iso(start),
      end: iso(start + minutes * MINUTE),
      minutesDuration: minutes,
      patientId: String(g.parentId()),
      practitionerId: patient.practitionerId,
      participant: [
        { actor: ref('Patient', g.parentId(), displayName(patient)), status: 'accepted' },
        { actor: gp, status: 'accepted' },
      ],
    };
  },
};
