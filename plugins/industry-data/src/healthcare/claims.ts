// FHIR R4-shaped Claim resources for encounters: the patient, the practitioner as provider, a
// fictional insurer, the encounter's reason as an ICD-10-CM diagnosis, items priced in integer
// minor units, and a total that is the sum of the items. FHIR's Claim.type is carried as
// `claimType` (`type` is the entity type) and money follows the data set's { amount, currency }.
import type { Entity, Money } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { SYSTEMS } from './codes.js';
import { conditionBySnomed } from './conditions.js';
import { concept, ref } from './fhir.js';

const PRICES: Record<string, number> = { '185349003': 14_500, '390906007': 9_500, '185345009': 11_000, '50849002': 68_000, '410620009': 12_500 };
const LAB = { code: '15220000', display: 'Laboratory test', price: 4_200 };

export const claims: TypeSpec = {
  type: 'claim',
  plural: 'claims',
  idPrefix: 'clm',
  description: 'FHIR R4-shaped Claim resources for encounters with ICD-10-CM diagnoses, priced items and totals that sum.',
  count: 4000,
  parent: { name: 'encounter', plural: 'encounters', via: 'encounterId' },
  refs: [{ name: 'patient', plural: 'patients', via: 'patientId' }, { name: 'provider', plural: 'practitioners', via: 'practitionerId' }],
  fields: [
    { name: 'resourceType, status, use, claimType', description: 'Claim; active; claim; professional|institutional' },
    { name: 'encounterId, patientId, practitionerId', description: 'ids, with patient/provider References' },
    { name: 'insurer, insurance[]', description: 'Fictional Health Plan' },
    { name: 'diagnosis[]', description: 'ICD-10-CM of the encounter reason' },
    { name: 'item[]', description: 'sequence, productOrService (SNOMED CT), servicedDate, net (Money)' },
    { name: 'total, created, outcome', description: 'Money = sum of item nets; ISO instant; complete|queued' },
  ],
  hints: [],
  generate(g): Entity {
    const encounter = g.parent();
    const service = (encounter.serviceType as { coding: Array<{ code: string; display: string }> }).coding[0];
    const reasonCode = (encounter.reasonCode as Array<{ coding: Array<{ code: string }> }> | undefined)?.[0]?.coding[0]?.code;
    const condition = conditionBySnomed(reasonCode);
    const end = Date.parse(String((encounter.period as { end: string }).end));
    const items = [{ sequence: 1, productOrService: concept(SYSTEMS.snomed, service.code, service.display), servicedDate: iso(end).slice(0, 10), net: g.money(PRICES[service.code] ?? 10_000) }];
    if (condition?.labs.length) items.push({ sequence: 2, productOrService: concept(SYSTEMS.snomed, LAB.code, LAB.display), servicedDate: iso(end).slice(0, 10), net: g.money(LAB.price) });
    const total = items.reduce((s, i) => s + i.net.amount, 0);
    const emergency = (encounter.class as { code: string }).code === 'EMER';
    return {
      id: g.key,
      type: 'claim',
      resourceType: 'Claim',
      status: 'active',
      use: 'claim',
      claimType: concept(SYSTEMS.claimType, emergency ? 'institutional' : 'professional', emergency ? 'Institutional' : 'Professional'),
      encounterId: String(g.parentId()),
      patientId: encounter.patientId,
      practitionerId: encounter.practitionerId,
      patient: encounter.subject,
      provider: (encounter.participant as Array<{ individual: unknown }>)[0].individual,
      insurer: { display: 'Fictional Health Plan' },
      insurance: [{ sequence: 1, focal: true, coverage: { display: 'Fictional Health Plan – Silver' } }],
      priority: concept('http://terminology.hl7.org/CodeSystem/processpriority', emergency ? 'stat' : 'normal', emergency ? 'Immediate' : 'Normal'),
      ...(condition ? { diagnosis: [{ sequence: 1, diagnosisCodeableConcept: concept(SYSTEMS.icd10, condition.icd10, condition.icd10Display) }] } : {}),
      encounter: [ref('Encounter', g.parentId())],
      item: items,
      total: g.money(total),
      created: iso(end + g.rng.int(1, 5) * DAY),
      outcome: end + 5 * DAY < g.epoch ? 'complete' : 'queued',
    };
  },
  check(r: Entity, p: Problems) {
    const sum = (r.item as Array<{ net: Money }>).reduce((s, i) => s + i.net.amount, 0);
    if (sum !== (r.total as Money).amount) p.add('total', 'money.sum', `total ${(r.total as Money).amount} ≠ sum of item nets ${sum}`);
  },
};
