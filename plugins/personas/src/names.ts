// Names that cross the API: session names (a header or cookie picks one), ids of entities
// a session creates, and the one rule that says when two id spellings are the same entity.
// Generated ids follow industry-data's rule (canonical "42"; "cus_000042", "cus_42" and
// "0042" are the same), and created ids follow it too, so `/finance/customers/cus_001001`
// finds the customer a client created as 1001.

export const SESSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The canonical form of an id: "cus_000042", "cus_42", "0042" → "42" (for that prefix); others unchanged. */
export function canonicalForm(id: string, idPrefix: string): string {
  let rest = id;
  if (idPrefix && rest.toLowerCase().startsWith(`${idPrefix.toLowerCase()}_`)) rest = rest.slice(idPrefix.length + 1);
  if (/^\d+$/.test(rest)) return String(Number.parseInt(rest, 10));
  return id;
}

/** The key of an entity in a session's maps and in storage. */
export const entityKey = (industry: string, plural: string, id: string) => `${industry}/${plural}/${id}`;
export const typeKey = (industry: string, plural: string) => `${industry}/${plural}`;
