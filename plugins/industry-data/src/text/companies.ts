// Company names for every industry from a place-or-nature word, a trade word and a legal
// form ("Harbour Lane Logistics GmbH", "Northwind Orchard & Co."), checked against none of the
// world's registers — so they are invented, but they read as companies, not as "Lorem Inc.".
import type { Random } from '@understudy/plugin-sdk';
import { compose, type Vocabulary } from './template.js';

export const COMPANY_WORDS: Vocabulary = {
  place: ['Harbour Lane', 'Northwind', 'Silverbrook', 'Maple Ridge', 'Quayside', 'Ashford', 'Bluefield', 'Cedar Point', 'Elmstead', 'Fernhill', 'Granite Peak', 'Hollow Creek', 'Ironbridge', 'Juniper', 'Kestrel', 'Larkspur', 'Millbrook', 'Oakhaven', 'Pinecrest', 'Redwater', 'Stonegate', 'Thornbury', 'Westmoor', 'Willowdale'],
  trade: ['Logistics', 'Foods', 'Outfitters', 'Analytics', 'Builders', 'Textiles', 'Bakery', 'Pharmacy', 'Motors', 'Software', 'Print Works', 'Roasters', 'Dental', 'Freight', 'Studios', 'Electrics', 'Gardens', 'Hardware', 'Optics', 'Travel'],
  form: ['Ltd', 'GmbH', 'LLC', 'Inc.', '& Co.', 'Group', 'Partners', 'Cooperative'],
};

const TEMPLATES = ['{place} {trade} {form}', '{place} {trade}', 'The {place} {trade} Company', '{place} & {place2} {trade}'];

export function companyName(random: Random): string {
  const place2 = random.pick(COMPANY_WORDS.place);
  return compose(TEMPLATES, random, COMPANY_WORDS, { place2 });
}
