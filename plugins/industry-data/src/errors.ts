// Every error the industry-data plugin raises. Codes are stable (`US_INDUSTRY_…`); the
// kernel's error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
// Unknown names carry the known ones and the nearest ("did you mean"), as fields and in the text.
import { defineError } from '@understudy/plugin-sdk';
import { nearest } from './core/suggest.js';

const known = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ') || '(none)';
const didYouMean = (wanted: string, names: readonly string[]) => {
  const near = nearest(wanted, names);
  return near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
};

export const IndustryErrors = {
  UNKNOWN_INDUSTRY: defineError('US_INDUSTRY_UNKNOWN', 404, (wanted: string, available: readonly string[]) => ({
    message: `Unknown industry "${wanted}".${didYouMean(wanted, available)} Known industries: ${known(available)}; describe another one under plugins.industry-data.custom.`,
    wanted,
    available: [...available],
    suggestions: nearest(wanted, available),
  })),
  UNKNOWN_TYPE: defineError('US_INDUSTRY_TYPE_UNKNOWN', 404, (industry: string, wanted: string, available: readonly string[]) => ({
    message: `Industry "${industry}" has no entity type "${wanted}".${didYouMean(wanted, available)} Its types: ${known(available)}.`,
    wanted,
    available: [...available],
    suggestions: nearest(wanted, available),
  })),
  UNKNOWN_RELATION: defineError('US_INDUSTRY_RELATION_UNKNOWN', 404, (industry: string, plural: string, wanted: string, available: readonly string[]) => ({
    message: `${industry}/${plural} has no relation "${wanted}".${didYouMean(wanted, available)} Its relations: ${known(available)}.`,
    wanted,
    available: [...available],
    suggestions: nearest(wanted, available),
  })),
  ENTITY_NOT_FOUND: defineError('US_INDUSTRY_ENTITY_NOT_FOUND', 404, (industry: string, plural: string, id: string, count: number, prefix: string) => ({
    message: `No ${industry}/${plural} with id "${id}": ids run from 1 to ${count} (also written ${prefix}_000001). Change the data set's size under plugins.industry-data.counts.${industry}.${plural}.`,
    wanted: id,
  })),
  INVALID_QUERY: defineError('US_INDUSTRY_INVALID_QUERY', 400, (problems: readonly string[]) => ({
    message: `Invalid query (nothing was read):\n${problems.join('\n')}`,
    problems: [...problems],
  })),
  INVALID_RECORD: defineError('US_INDUSTRY_INVALID_RECORD', 400, (problem: string) => `Invalid record: ${problem}. Send a JSON object with at least "id" and "type", as GET /__admin/industry-data/<industry>/<plural>/sample returns.`),
} as const;
