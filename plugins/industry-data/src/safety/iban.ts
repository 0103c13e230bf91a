// IBANs and BICs of fictitious banks. German IBANs (ISO 13616: DEkk + 8-digit bank code +
// 10-digit account) whose bank code starts with 0: the first digit of a German Bankleitzahl
// is a Bundesbank clearing area, 1–8, so no real bank has one starting with 0. Check digits
// are computed with ISO 7064 mod 97-10, so every validator accepts them. BICs (ISO 9362) of
// those banks have a location code whose second character is "0", which ISO 9362 reserves
// for test BICs, not connected to the live network.
import { mod97 } from './checksum.js';

export function makeIban(bankCode: string, account: string): string {
  const bban = bankCode + account.padStart(10, '0');
  const check = 98 - mod97(`${bban}DE00`);
  return `DE${String(check).padStart(2, '0')}${bban}`;
}

/** Problems with an IBAN, or [] when it is a valid IBAN of a fictitious bank. */
export function ibanProblems(iban: string): string[] {
  const compact = iban.replace(/ /g, '');
  if (!/^DE\d{20}$/.test(compact)) return [`"${iban}" is not a German IBAN (DE + 20 digits)`];
  const problems: string[] = [];
  if (mod97(compact.slice(4) + compact.slice(0, 4)) !== 1) problems.push(`"${iban}" fails the ISO 7064 mod-97 check`);
  if (compact[4] !== '0') problems.push(`"${iban}" names bank code ${compact.slice(4, 12)}, which may be a real bank (fictitious bank codes start with 0)`);
  return problems;
}

/** Problems with a BIC, or [] when it is a test BIC (second location character "0"). */
export function bicProblems(bic: string): string[] {
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) return [`"${bic}" is not a BIC (ISO 9362: 4 letters, country, location, optional branch)`];
  if (bic[7] !== '0') return [`"${bic}" is a live-network BIC (test BICs have "0" as the location code's second character)`];
  return [];
}
