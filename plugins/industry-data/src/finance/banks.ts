// The fictitious banks every finance IBAN and BIC belongs to. Bank codes start with 0 (no
// German clearing area has that digit), BICs end their location code in "0" (ISO 9362 test
// BICs), and the names are invented.
import type { Random } from '@understudy/plugin-sdk';
import { makeIban } from '../safety/iban.js';

export interface FictitiousBank {
  name: string;
  bankCode: string;
  bic: string;
}

export const BANKS: readonly FictitiousBank[] = [
  { name: 'Harbour Lane Bank', bankCode: '01020304', bic: 'HLBKDEF0' },
  { name: 'Northwind Savings', bankCode: '02030405', bic: 'NWSVDEM0' },
  { name: 'Silverbrook Volksbank', bankCode: '03040506', bic: 'SBVBDEH0' },
  { name: 'Maple Ridge Direct', bankCode: '04050607', bic: 'MRDBDEB0' },
  { name: 'Quayside Private Bank', bankCode: '05060708', bic: 'QPBKDEK0' },
];

/** The demo's own bank: every customer account is held here (bank 0). */
export const HOME_BANK = BANKS[0];

export function accountIban(bank: FictitiousBank, accountNumber: number): string {
  return makeIban(bank.bankCode, String(accountNumber));
}

/** A counterparty's account at any of the fictitious banks. */
export function counterpartyAccount(random: Random): { iban: string; bic: string; bank: string } {
  const bank = random.pick(BANKS);
  return { iban: makeIban(bank.bankCode, String(random.int(1_000_000, 9_999_999_999))), bic: bank.bic, bank: bank.name };
}
