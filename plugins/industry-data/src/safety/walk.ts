// The generic half of the safety validator: walks every field of any record (built-in,
// custom, or patched by a session) and checks what can identify or reach a real person or
// bank wherever it appears — e-mail addresses, URLs, IP addresses, phone numbers, SSN-like
// numbers, MRNs, IBANs, BICs, card numbers and money amounts. Type-specific rules (sums,
// schedules) are in each type's `check`.
import { cardProblems } from './cards.js';
import { emailProblems, ipProblems, phoneProblems, urlProblems } from './contact.js';
import { bicProblems, ibanProblems } from './iban.js';
import { MRN_SYSTEM, mrnProblems, SSN_SYSTEM, ssnProblems } from './identifiers.js';
import { isMoney, moneyProblems } from './money.js';
import { join, type Problems } from './problems.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const EMBEDDED_EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g;
const PHONE_KEY = /(phone|mobile|fax|tel)$/i;
const IP_KEY = /^(ip|ipv6|ipAddress|clientIp|deviceIp)$/i;
const CARD_KEY = /^(pan|cardNumber|primaryAccountNumber)$/;

export function walk(value: unknown, path: string, key: string, problems: Problems, depth = 0): void {
  if (depth > 32) return;
  if (typeof value === 'string') return checkString(value, path, key, problems);
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, join(path, i), key, problems, depth + 1));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const obj = value as Record<string, unknown>;
  if (isMoney(obj)) for (const m of moneyProblems(obj)) problems.add(path, 'money.minorUnits', m);
  // FHIR ContactPoint and Identifier carry their kind beside the value
  if (typeof obj.value === 'string' && typeof obj.system === 'string') {
    const p = join(path, 'value');
    if (obj.system === 'phone' || obj.system === 'sms' || obj.system === 'fax') for (const m of phoneProblems(obj.value)) problems.add(p, 'phone.fictional', m);
    if (obj.system === SSN_SYSTEM) for (const m of ssnProblems(obj.value)) problems.add(p, 'ssn.reserved', m);
    if (obj.system === MRN_SYSTEM) for (const m of mrnProblems(obj.value)) problems.add(p, 'mrn.fictional', m);
  }
  for (const k of Object.keys(obj)) walk(obj[k], join(path, k), k, problems, depth + 1);
}

/** Keys whose strings are always checked; any other string is checked only when it could be an address. */
const SPECIAL_KEYS = new Set(['iban', 'bic', 'ssn', 'mrn', 'pan', 'cardNumber', 'primaryAccountNumber']);

function checkString(s: string, path: string, key: string, problems: Problems): void {
  // fast path (most strings are names, codes and dates): nothing that could be an e-mail, URL, IP or phone
  if (!SPECIAL_KEYS.has(key) && !PHONE_KEY.test(key) && !s.includes('@') && !s.includes('://') && !(s.length <= 39 && (IPV4.test(s) || (s.includes(':') && IP_KEY.test(key))))) return;
  if (key === 'iban') return void ibanProblems(s).forEach((m) => problems.add(path, 'iban.fictitious', m));
  if (key === 'bic') return void bicProblems(s).forEach((m) => problems.add(path, 'bic.test', m));
  if (key === 'ssn') return void ssnProblems(s).forEach((m) => problems.add(path, 'ssn.reserved', m));
  if (key === 'mrn') return void mrnProblems(s).forEach((m) => problems.add(path, 'mrn.fictional', m));
  if (CARD_KEY.test(key)) return void cardProblems(s).forEach((m) => problems.add(path, 'card.testRange', m));
  if (PHONE_KEY.test(key)) return void phoneProblems(s).forEach((m) => problems.add(path, 'phone.fictional', m));
  if (EMAIL.test(s)) return void emailProblems(s).forEach((m) => problems.add(path, 'email.rfc2606', m));
  if (s.startsWith('http://') || s.startsWith('https://')) {
    // FHIR code systems and profiles (loinc.org, snomed.info, hl7.org) are public vocabularies, not contacts
    if (key === 'system' || key === 'profile') return;
    return void urlProblems(s).forEach((m) => problems.add(path, 'url.rfc2606', m));
  }
  if (IPV4.test(s) || (IP_KEY.test(key) && s.includes(':'))) return void ipProblems(s).forEach((m) => problems.add(path, 'ip.rfc5737', m));
  if (s.length > 12 && s.includes('@')) {
    for (const m of s.matchAll(EMBEDDED_EMAIL)) for (const p of emailProblems(m[0])) problems.add(path, 'email.rfc2606', p);
  }
}
