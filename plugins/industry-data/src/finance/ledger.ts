// The facts of a transaction that its account needs too — amount, kind, merchant — drawn
// from the transaction's own named stream ("facts"), so the account can sum its
// transactions without generating them, and every running balance adds up to the account's
// balance exactly (integer minor units).
import type { Random } from '@understudy/plugin-sdk';
import type { Gen } from '../core/gen.js';
import { MERCHANTS, type AccountProduct, type Merchant } from './vocabulary.js';

export type TxKind = 'card' | 'transfer-out' | 'transfer-in' | 'salary' | 'direct-debit' | 'interest' | 'atm' | 'fee';

export interface TxFacts {
  kind: TxKind;
  /** Signed minor units: negative for money leaving the account. */
  amount: number;
  merchant?: Merchant;
}

export function txFacts(random: Random, product: AccountProduct): TxFacts {
  if (product === 'savings' || product === 'fixed-deposit') {
    const r = random.next();
    if (r < 0.55) return { kind: 'transfer-in', amount: random.int(50, 800) * 100 };
    if (r < 0.8) return { kind: 'interest', amount: random.int(50, 4_000) };
    return { kind: 'transfer-out', amount: -random.int(100, 1_200) * 100 };
  }
  const r = random.next();
  if (r < 0.5) {
    const merchant = MERCHANTS[random.int(0, MERCHANTS.length - 1)];
    const big = merchant.category === 'travel' || merchant.mcc === '5732';
    return { kind: 'card', amount: -random.int(big ? 4_000 : 250, big ? 60_000 : 12_000), merchant };
  }
  if (r < 0.62) return { kind: 'direct-debit', amount: -random.int(2_500, 18_000) };
  if (r < 0.7) return { kind: 'atm', amount: -random.int(2, 30) * 1_000 };
  if (r < 0.8) return { kind: 'transfer-out', amount: -random.int(1_000, 90_000) };
  if (r < 0.88) return { kind: 'transfer-in', amount: random.int(1_000, 60_000) };
  if (r < 0.99) return { kind: 'salary', amount: random.int(1_800, 7_500) * 100 };
  return { kind: 'fee', amount: -random.int(3, 15) * 100 };
}

/** Facts of each of an account's transactions, in order. */
export function ledgerOf(g: Gen, accountId: number, product: AccountProduct): { ids: number[]; facts: TxFacts[] } {
  return g.memo(`ledger/${accountId}/${product}`, () => {
    const ids = g.childrenOf('accounts', accountId, 'transactions');
    return { ids, facts: ids.map((tx) => txFacts(g.streamOf('transactions', tx, 'facts'), product)) };
  });
}
