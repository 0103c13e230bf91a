// Outgoing credit transfers shaped like ISO 20022 pain.001 (customer credit transfer
// initiation) with pacs.008's identifiers: group header (MsgId, CreDtTm, NbOfTxs, CtrlSum),
// debtor / creditor with their accounts (IBAN) and agents (BIC), EndToEndId, UETR, amount,
// charge bearer, purpose and remittance information, and an ISO 20022 status code.
import type { Entity, Money } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso, isoDate } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { companyName } from '../text/companies.js';
import { fill } from '../text/template.js';
import { counterpartyAccount } from './banks.js';
import { FINANCE_WORDS, PURPOSE_CODES } from './vocabulary.js';

/** ISO 20022 ExternalPaymentTransactionStatus1Code values the generator uses. */
export const PAYMENT_STATUS = { ACSC: 'settled', ACSP: 'in process', PDNG: 'pending', RJCT: 'rejected' } as const;

export const payments: TypeSpec = {
  type: 'payment',
  plural: 'payments',
  idPrefix: 'pmt',
  description: 'ISO 20022 pain.001-shaped credit transfers from an account to fictitious-bank creditors.',
  count: 5000,
  parent: { name: 'account', plural: 'accounts', via: 'accountId' },
  fields: [
    { name: 'accountId, customerId', description: 'debtor account and its owner' },
    { name: 'messageType', description: 'pain.001.001.09' },
    { name: 'groupHeader', description: 'messageId, creationDateTime, numberOfTransactions, controlSum (Money)' },
    { name: 'debtor, debtorAccount, debtorAgent', description: 'name; iban; bic' },
    { name: 'creditor, creditorAccount, creditorAgent', description: 'name; iban; bic (fictitious banks)' },
    { name: 'creditTransfer', description: 'endToEndId, uetr (UUID), instructedAmount (Money), chargeBearer SLEV, purpose code, remittanceInformation' },
    { name: 'requestedExecutionDate, status, statusReason', description: 'ISO date; ACSC|ACSP|PDNG|RJCT' },
  ],
  hints: [{ key: 'status', description: Object.keys(PAYMENT_STATUS).join(' | ') }],
  generate(g): Entity {
    const account = g.parent();
    const created = g.epoch - g.rng.int(0, 120) * DAY - g.rng.int(0, 86_399) * 1000;
    const purpose = g.rng.pick(Object.keys(PURPOSE_CODES)) as keyof typeof PURPOSE_CODES;
    const creditor = purpose === 'SALA' ? g.faker.person.fullName() : companyName(g.rng);
    const amount = g.money(purpose === 'RENT' ? g.rng.int(60_000, 250_000) : g.rng.int(1_500, 480_000), String(account.currency));
    const status = typeof g.hints.status === 'string' && g.hints.status in PAYMENT_STATUS ? g.hints.status : g.rng.pick(['ACSC', 'ACSC', 'ACSC', 'ACSP', 'PDNG', 'RJCT']);
    const msgId = `MSG-${isoDate(created).replace(/-/g, '')}-${String(g.id).padStart(6, '0')}`;
    const remittance = fill(purpose === 'SUPP' || purpose === 'GDSV' ? 'Invoice [INV|No.] {invoice} – {invoiceFor}' : purpose === 'RENT' ? 'Rent {month}' : purpose === 'SALA' ? 'Salary {month}' : purpose === 'TAXS' ? 'Tax prepayment Q[1|2|3|4]' : 'Donation – thank you', g.rng, FINANCE_WORDS, {
      invoice: `${new Date(created).getUTCFullYear()}-${g.rng.int(1000, 9999)}`,
    });
    return {
      id: g.key,
      type: 'payment',
      accountId: String(g.parentId()),
      customerId: account.customerId,
      messageType: 'pain.001.001.09',
      groupHeader: { messageId: msgId, creationDateTime: iso(created), numberOfTransactions: 1, controlSum: amount },
      debtor: { name: account.holderName },
      debtorAccount: { iban: account.iban, currency: account.currency },
      debtorAgent: { bic: account.bic },
      creditor: { name: creditor },
      creditorAccount: { iban: counterpartyAccount(g.rng).iban },
      creditorAgent: { bic: counterpartyAccount(g.rng).bic },
      creditTransfer: {
        endToEndId: `E2E-${String(g.id).padStart(8, '0')}`,
        uetr: g.faker.string.uuid(),
        instructedAmount: amount,
        chargeBearer: 'SLEV',
        purpose: { code: purpose, description: PURPOSE_CODES[purpose] },
        remittanceInformation: remittance,
      },
      requestedExecutionDate: isoDate(created + DAY),
      status,
      statusDescription: PAYMENT_STATUS[status as keyof typeof PAYMENT_STATUS],
      ...(status === 'RJCT' ? { statusReason: { code: g.rng.pick(['AC04', 'AM04', 'AC01']), description: g.rng.pick(['closed account number', 'insufficient funds', 'incorrect account number']) } } : {}),
    };
  },
  check(r: Entity, p: Problems) {
    const gh = r.groupHeader as { controlSum: Money };
    const ct = r.creditTransfer as { instructedAmount: Money };
    if (gh.controlSum.amount !== ct.instructedAmount.amount) p.add('groupHeader.controlSum', 'money.sum', 'controlSum ≠ the instructed amount of its one transfer');
  },
};
