// Finance words: merchants with their ISO 18245 merchant category codes, memo templates per
// transaction kind, account and loan product names, portfolio strategies and fictional listed
// companies. Merchant and company names are invented (no real brand), so a demo never shows a
// real business next to a made-up transaction.
import type { Vocabulary } from '../text/template.js';

export interface Merchant {
  name: string;
  mcc: string;
  category: string;
}

/** ISO 18245 MCCs with the names card networks publish for them. */
export const MCC: Record<string, string> = {
  '5411': 'Grocery Stores, Supermarkets',
  '5812': 'Eating Places, Restaurants',
  '5814': 'Fast Food Restaurants',
  '5541': 'Service Stations',
  '4111': 'Local and Suburban Commuter Passenger Transportation',
  '5912': 'Drug Stores and Pharmacies',
  '5732': 'Electronics Stores',
  '4899': 'Cable, Satellite and Other Pay Television Services',
  '7832': 'Motion Picture Theaters',
  '5651': 'Family Clothing Stores',
  '4900': 'Utilities – Electric, Gas, Water, Sanitary',
  '5311': 'Department Stores',
  '7011': 'Hotels, Motels, Resorts',
  '4511': 'Airlines, Air Carriers',
  '5942': 'Book Stores',
  '8011': 'Doctors and Physicians',
  '5499': 'Miscellaneous Food Stores',
  '6011': 'Financial Institutions – Automated Cash Disbursements',
};

export const MERCHANTS: readonly Merchant[] = [
  { name: 'Fernhill Fresh Market', mcc: '5411', category: 'groceries' },
  { name: 'Daily Basket Grocers', mcc: '5411', category: 'groceries' },
  { name: 'The Copper Kettle', mcc: '5812', category: 'dining' },
  { name: 'Saffron & Sage Bistro', mcc: '5812', category: 'dining' },
  { name: 'Corner Bean Café', mcc: '5814', category: 'dining' },
  { name: 'Quick Crust Pizza', mcc: '5814', category: 'dining' },
  { name: 'Ridgeway Fuel', mcc: '5541', category: 'transport' },
  { name: 'Metro Link Transit', mcc: '4111', category: 'transport' },
  { name: 'Willow Pharmacy', mcc: '5912', category: 'health' },
  { name: 'Voltline Electronics', mcc: '5732', category: 'shopping' },
  { name: 'StreamNest TV', mcc: '4899', category: 'subscriptions' },
  { name: 'Lumen Cinema', mcc: '7832', category: 'entertainment' },
  { name: 'Threadbare Clothing Co.', mcc: '5651', category: 'shopping' },
  { name: 'Brightwater Utilities', mcc: '4900', category: 'bills' },
  { name: 'Granary Department Store', mcc: '5311', category: 'shopping' },
  { name: 'Seaview Hotel', mcc: '7011', category: 'travel' },
  { name: 'Skylark Airways', mcc: '4511', category: 'travel' },
  { name: 'Dog-Eared Books', mcc: '5942', category: 'shopping' },
  { name: 'Oakhaven Family Practice', mcc: '8011', category: 'health' },
  { name: 'Hollow Creek Deli', mcc: '5499', category: 'groceries' },
];

export const FINANCE_WORDS: Vocabulary = {
  city: ['Springfield', 'Riverton', 'Lakeside', 'Fairview', 'Brookhaven', 'Mill Valley', 'Westport', 'Greenfield'],
  purpose: ['rent', 'dinner last Friday', 'holiday deposit', 'birthday gift', 'shared groceries', 'concert tickets', 'car repair', 'utilities split'],
  utility: ['Brightwater Utilities', 'Northgrid Energy', 'Clearline Telecom', 'Homesafe Insurance'],
  month: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  invoiceFor: ['office supplies', 'consulting services', 'quarterly maintenance', 'software licences', 'catering', 'freight charges', 'marketing campaign', 'equipment rental'],
};

export const MEMO_TEMPLATES = {
  card: ['{merchant} {city}', 'Card payment {merchant}', '{merchant} – contactless'],
  transferOut: ['Transfer to {counterparty} – {purpose}', '[Sent|Payment] to {counterparty}: {purpose}'],
  transferIn: ['From {counterparty} – {purpose}', '{counterparty} paid you back for {purpose}'],
  salary: ['Salary {month} – {employer}', '{employer} payroll {month}'],
  directDebit: ['{utility} direct debit ref {reference}', 'Monthly {utility} bill'],
  interest: ['Interest paid for {month}', 'Savings interest {month}'],
  atm: ['Cash withdrawal {city}', 'ATM {city} Main Street'],
  fee: ['Monthly account fee', 'Overdraft arrangement fee'],
} as const;

export const ACCOUNT_PRODUCTS = {
  current: { name: 'Everyday Current Account', rate: 0 },
  savings: { name: 'Instant Access Savings', rate: 2.1 },
  business: { name: 'Business Current Account', rate: 0 },
  'fixed-deposit': { name: '12-Month Fixed Deposit', rate: 3.2 },
} as const;
export type AccountProduct = keyof typeof ACCOUNT_PRODUCTS;

export const LOAN_KINDS = {
  mortgage: { name: 'Home Mortgage', min: 15_000_000, max: 60_000_000, rate: [2.9, 4.6], months: [120, 300] },
  personal: { name: 'Personal Loan', min: 200_000, max: 2_500_000, rate: [5.9, 11.9], months: [12, 60] },
  auto: { name: 'Car Loan', min: 800_000, max: 4_500_000, rate: [3.9, 7.9], months: [24, 72] },
  student: { name: 'Student Loan', min: 500_000, max: 4_000_000, rate: [1.5, 4.5], months: [60, 120] },
} as const;
export type LoanKind = keyof typeof LOAN_KINDS;

export const STRATEGIES = ['conservative income', 'balanced growth', 'global equity', 'sustainable leaders', 'dividend focus', 'technology tilt'] as const;

/** Fictional listed companies on the (fictional) Demo Exchange: ".DX" tickers exist on no real market. */
export const LISTINGS: ReadonlyArray<{ ticker: string; name: string; sector: string; basePrice: number }> = [
  { ticker: 'NWND.DX', name: 'Northwind Renewables', sector: 'energy', basePrice: 4_210 },
  { ticker: 'SLVB.DX', name: 'Silverbrook Semiconductors', sector: 'technology', basePrice: 18_750 },
  { ticker: 'MPLR.DX', name: 'Maple Ridge Foods', sector: 'consumer staples', basePrice: 6_320 },
  { ticker: 'QSDL.DX', name: 'Quayside Logistics', sector: 'industrials', basePrice: 3_980 },
  { ticker: 'KSTR.DX', name: 'Kestrel Aerospace', sector: 'industrials', basePrice: 22_140 },
  { ticker: 'LRKS.DX', name: 'Larkspur Health', sector: 'health care', basePrice: 9_875 },
  { ticker: 'OKHV.DX', name: 'Oakhaven Property Trust', sector: 'real estate', basePrice: 2_460 },
  { ticker: 'GRPK.DX', name: 'Granite Peak Mining', sector: 'materials', basePrice: 1_530 },
  { ticker: 'JNPR.DX', name: 'Juniper Cloud Systems', sector: 'technology', basePrice: 31_200 },
  { ticker: 'THRN.DX', name: 'Thornbury Telecom', sector: 'communication', basePrice: 1_190 },
  { ticker: 'BLFD.DX', name: 'Bluefield Water', sector: 'utilities', basePrice: 5_040 },
  { ticker: 'CDRP.DX', name: 'Cedar Point Leisure', sector: 'consumer discretionary', basePrice: 7_660 },
];

export const PURPOSE_CODES = { SUPP: 'supplier payment', SALA: 'salary payment', RENT: 'rent', TAXS: 'tax payment', GDSV: 'purchase of goods and services', CHAR: 'charity payment' } as const;
