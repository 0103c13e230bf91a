// The safety validator: the generic walk over every field plus the type's own rules. Used by
// `industryData.validate`, the admin route, and the 100,000-records-per-type test.
import type { Entity, SafetyProblem } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { Problems } from './problems.js';
import { walk } from './walk.js';

export function validateRecord(spec: TypeSpec, record: Entity): SafetyProblem[] {
  const problems = new Problems();
  if (typeof record.id !== 'string' || record.id === '') problems.add('id', 'entity.id', 'every entity has a string id');
  if (record.type !== spec.type) problems.add('type', 'entity.type', `type should be "${spec.type}", not ${JSON.stringify(record.type)}`);
  walk(record, '', '', problems);
  try {
    spec.check?.(record, problems);
  } catch (err) {
    problems.add('', 'entity.shape', `record does not have the shape of a ${spec.type}: ${(err as Error).message}`);
  }
  return problems.list;
}
