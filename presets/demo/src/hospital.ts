// The hospital demo's scenario: a patient's visit moves from arrival to discharge, with a
// follow-up booked. Five waypoints; about two minutes at speed 1.
export const hospitalScenario = {
  name: 'hospital-visit',
  description: "A patient's encounter from arrival to discharge.",
  session: 'default',
  steps: [
    { id: 'arrived', at: '0s', waypoint: 'Arrival', narrative: 'The patient checks in at the front desk.', set: { entity: 'healthcare/encounters/5', changes: { status: 'arrived' } } },
    { id: 'triage', at: '20s', waypoint: 'Triage', narrative: 'Triage starts; vitals are taken.', set: { entity: 'healthcare/encounters/5', changes: { status: 'triaged' } } },
    { id: 'consult', at: '45s', waypoint: 'Consultation', narrative: 'The practitioner sees the patient.', set: { entity: 'healthcare/encounters/5', changes: { status: 'in-progress' } } },
    { id: 'alert', after: 'consult', delay: '20s', narrative: 'A lab result comes back abnormal.', emit: { type: 'hospital.labFlagged', data: { encounter: '5' } } },
    { id: 'discharge', at: '100s', waypoint: 'Discharge', narrative: 'The patient is discharged with a prescription.', set: { entity: 'healthcare/encounters/5', changes: { status: 'finished' } } },
    { id: 'follow-up', after: 'discharge', delay: '15s', waypoint: 'Follow-up booked', narrative: 'A follow-up appointment is booked.', emit: { type: 'hospital.followUpBooked', data: { patient: '1' } } },
  ],
} as const;
