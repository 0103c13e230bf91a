// The types of the industry-data plugin's `industryData` service that personas uses, in one
// place (type-only: personas depends on the service, not on its implementation).
export type { Entity, EntityTypeInfo, Hints, IndustryData, ListQuery, ListResult, RelationInfo, SafetyProblem } from '@understudy/plugin-industry-data';
