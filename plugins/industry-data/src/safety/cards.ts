// Card numbers from the payment networks' published test numbers only, so no generated card
// can be a real one (a random Luhn-valid number may be). Sources: Visa's and Mastercard's
// developer sandbox test cards, American Express, Discover, JCB and Diners Club test numbers
// as published in the networks' and acquirers' integration guides (e.g. 4111 1111 1111 1111,
// 5555 5555 5555 4444, 3782 822463 10005). Each is Luhn-valid (checked at load). Numbers
// therefore repeat across cards: the card's own id and token tell cards apart.
import { luhnValid } from './checksum.js';

export interface TestCard {
  network: 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners';
  number: string;
}

export const TEST_CARDS: readonly TestCard[] = Object.freeze([
  { network: 'visa', number: '4111111111111111' },
  { network: 'visa', number: '4012888888881881' },
  { network: 'visa', number: '4242424242424242' },
  { network: 'visa', number: '4000056655665556' },
  { network: 'visa', number: '4222222222222' },
  { network: 'mastercard', number: '5555555555554444' },
  { network: 'mastercard', number: '5105105105105100' },
  { network: 'mastercard', number: '2223003122003222' },
  { network: 'mastercard', number: '5200828282828210' },
  { network: 'amex', number: '378282246310005' },
  { network: 'amex', number: '371449635398431' },
  { network: 'amex', number: '378734493671000' },
  { network: 'discover', number: '6011111111111117' },
  { network: 'discover', number: '6011000990139424' },
  { network: 'jcb', number: '3530111333300000' },
  { network: 'jcb', number: '3566002020360505' },
  { network: 'diners', number: '30569309025904' },
  { network: 'diners', number: '38520000023237' },
] as TestCard[]);

const NUMBERS = new Set(TEST_CARDS.map((c) => c.number));
for (const c of TEST_CARDS) /* c8 ignore next */ if (!luhnValid(c.number)) throw new Error(`test card ${c.number} fails Luhn`);

export function cardProblems(number: string): string[] {
  const digits = number.replace(/[ -]/g, '');
  const problems: string[] = [];
  if (!luhnValid(digits)) problems.push(`card number ${number} fails the Luhn check`);
  if (!NUMBERS.has(digits)) problems.push(`card number ${number} is not one of the networks' published test numbers`);
  return problems;
}

/** Masked form shown in lists: •••• 1111. */
export const maskCard = (number: string) => `•••• ${number.slice(-4)}`;
