// FHIR R4 Observation resources: the vital signs of an encounter (heart rate, blood pressure
// with systolic/diastolic components, respiratory rate, temperature, SpO2, weight, height,
// BMI — LOINC codes, UCUM units), then labs that follow the patient's conditions (HbA1c and
// glucose for diabetes, cholesterol for hyperlipidaemia). Values come from vitals.ts: plausible
// for age and sex, paediatric for children, trending with the years.
import type { Entity } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { ageAt, DAY, iso, MINUTE } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { BP, OBSERVATIONS, SYSTEMS, VITALS_ORDER } from './codes.js';
import { encounterStart, patientConditions } from './encounters.js';
import { concept, quantity, ref } from './fhir.js';
import { baselineOf, measure, plausible } from './vitals.js';

export const observations: TypeSpec = {
  type: 'observation',
  plural: 'observations',
  idPrefix: 'obs',
  description: 'FHIR R4 Observation resources: vital signs plausible for age and sex with trends, and labs that follow conditions (LOINC, UCUM).',
  count: 30_000,
  parent: { name: 'encounter', plural: 'encounters', via: 'encounterId', minOne: true },
  refs: [{ name: 'patient', plural: 'patients', via: 'patientId' }],
  fields: [
    { name: 'resourceType, status, category[]', description: 'Observation; final; vital-signs|laboratory' },
    { name: 'code', description: 'LOINC coding' },
    { name: 'valueQuantity', description: 'value, unit, UCUM system and code' },
    { name: 'component[]', description: 'blood pressure: systolic 8480-6 and diastolic 8462-4' },
    { name: 'encounterId, patientId, subject, encounter', description: 'ids and References' },
    { name: 'effectiveDateTime, issued', description: 'during the encounter' },
  ],
  hints: [],
  generate(g): Entity {
    const encounter = g.parent();
    const patientId = Number(encounter.patientId);
    const patient = g.get('patients', patientId);
    const conditions = patientConditions(g, patient).map((c) => c.code);
    const labs = [...new Set(conditions.flatMap((c) => c.labs))];
    const { index } = g.siblings();
    const i = Math.max(0, index);
    const loinc = i < VITALS_ORDER.length ? VITALS_ORDER[i] : labs.length ? labs[(i - VITALS_ORDER.length) % labs.length] : VITALS_ORDER[i % VITALS_ORDER.length];
    const code = OBSERVATIONS[loinc];
    const start = Date.parse(String((encounter.period as { start: string }).start));
    const at = start + (5 + i * 2) * MINUTE;
    const { first } = encounterStart(g, patientId, Number(encounter.id), Date.parse(String(patient.birthDate)));
    const ctx = { age: ageAt(Date.parse(String(patient.birthDate)), at), sex: String(patient.gender), years: Math.max(0, (at - first) / (365.25 * DAY)), conditions };
    const value = measure(loinc, ctx, baselineOf(g.streamOf('patients', patientId, 'baseline')), g.rng);
    const base = {
      id: g.key,
      type: 'observation',
      resourceType: 'Observation',
      status: 'final',
      category: [concept(SYSTEMS.obsCategory, code.category, code.category === 'vital-signs' ? 'Vital Signs' : 'Laboratory')],
      code: { coding: [{ system: SYSTEMS.loinc, code: loinc, display: code.display }], text: code.display },
      encounterId: String(g.parentId()),
      patientId: String(patientId),
      subject: encounter.subject,
      encounter: ref('Encounter', g.parentId()),
      effectiveDateTime: iso(at),
      issued: iso(at + (code.category === 'laboratory' ? DAY : MINUTE)),
    };
    if (Array.isArray(value)) {
      return {
        ...base,
        component: [
          { code: { coding: [{ system: SYSTEMS.loinc, code: BP.systolic.loinc, display: BP.systolic.display }] }, valueQuantity: quantity(value[0], 'mmHg', 'mm[Hg]') },
          { code: { coding: [{ system: SYSTEMS.loinc, code: BP.diastolic.loinc, display: BP.diastolic.display }] }, valueQuantity: quantity(value[1], 'mmHg', 'mm[Hg]') },
        ],
      };
    }
    return { ...base, valueQuantity: quantity(value, code.unit, code.ucum) };
  },
  check(r: Entity, p: Problems) {
    const loinc = (r.code as { coding: Array<{ code: string }> }).coding[0]?.code;
    const code = OBSERVATIONS[loinc];
    if (!code) return p.add('code', 'clinical.code', `LOINC ${loinc} is not one the generator uses`);
    // ages are not on the record; the bands are wide enough for any age but infants' weight/height
    const check = (path: string, c: string, v: { value: number; code: string }, ucum: string) => {
      if (v.code !== ucum) p.add(path, 'clinical.unit', `${c} must be in UCUM ${ucum}, not ${v.code}`);
      const range = plausible(c, 30);
      const child = plausible(c, 5);
      const infant = plausible(c, 0);
      const lo = Math.min(range?.[0] ?? -Infinity, child?.[0] ?? -Infinity, infant?.[0] ?? -Infinity);
      const hi = Math.max(range?.[1] ?? Infinity, child?.[1] ?? Infinity, infant?.[1] ?? Infinity);
      if (v.value < lo || v.value > hi) p.add(path, 'clinical.plausible', `${c} value ${v.value} is outside the plausible range ${lo}–${hi}`);
    };
    if (loinc === '85354-9') {
      const comps = r.component as Array<{ code: { coding: Array<{ code: string }> }; valueQuantity: { value: number; code: string } }>;
      comps.forEach((c, i) => check(`component[${i}].valueQuantity`, c.code.coding[0].code, c.valueQuantity, 'mm[Hg]'));
    } else check('valueQuantity', loinc, r.valueQuantity as { value: number; code: string }, code.ucum);
  },
};
