// Identifiers of people that cannot be anyone's. SSN-like numbers from area 9xx with group
// 01–49: the Social Security Administration never issues area 900–999 (SSA, "Social Security
// Number Randomization"), and IRS ITINs, which also start with 9, use groups 50–65, 70–88,
// 90–92 and 94–99 — so 9xx-01…49-xxxx is neither. MRNs are fictional: "MRN-" and eight digits
// whose last is a Luhn check digit, issued by a system on an RFC 2606 domain.
import { luhnDigit, luhnValid } from './checksum.js';

export const MRN_SYSTEM = 'https://example.org/fhir/sid/mrn';
export const SSN_SYSTEM = 'http://hl7.org/fhir/sid/us-ssn';
export const PRACTITIONER_SYSTEM = 'https://example.org/fhir/sid/practitioner';

export function makeSsn(random: { int(min: number, max: number): number }): string {
  const area = random.int(900, 999);
  const group = random.int(1, 49);
  const serial = random.int(1, 9999);
  return `${area}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
}

export function ssnProblems(ssn: string): string[] {
  const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(ssn);
  if (!m) return [`"${ssn}" is not in the form 9xx-xx-xxxx`];
  const area = Number(m[1]);
  const group = Number(m[2]);
  if (area === 0) return [];
  if (area < 900) return [`SSN-like ${ssn} is in an area the SSA issues (safe ones start with 9 or 000)`];
  if (group < 1 || group > 49) return [`SSN-like ${ssn} has group ${m[2]}, which the IRS uses for ITINs (safe groups are 01–49)`];
  return [];
}

export function makeMrn(n: number): string {
  const body = String(n % 10_000_000).padStart(7, '0');
  return `MRN-${body}${luhnDigit(body)}`;
}

export function mrnProblems(mrn: string): string[] {
  const m = /^MRN-(\d{8})$/.exec(mrn);
  if (!m) return [`"${mrn}" is not a fictional MRN (MRN- and 8 digits)`];
  return luhnValid(m[1]) ? [] : [`MRN ${mrn} fails its Luhn check digit`];
}
