// The healthcare industry: FHIR R4-shaped patients, practitioners, encounters, observations,
// conditions, medication requests, appointments and claims, internally consistent and
// HIPAA-safe (no real identifiers).
import type { IndustrySpec } from '../core/spec.js';
import { appointments } from './appointments.js';
import { claims } from './claims.js';
import { conditions } from './conditions.js';
import { encounters } from './encounters.js';
import { medicationRequests } from './medications.js';
import { observations } from './observations.js';
import { patients } from './patients.js';
import { practitioners } from './practitioners.js';

export const healthcare: IndustrySpec = {
  name: 'healthcare',
  description: 'A clinic: FHIR R4-shaped patients (with children), practitioners, encounters, vitals and labs, conditions, fitting medications, appointments and claims.',
  source: 'builtin',
  types: [patients, practitioners, encounters, observations, conditions, medicationRequests, appointments, claims],
};
