// The retail industry: a catalogue (categories, products with variants), customers, carts,
// orders through the journey, loyalty accounts and reviews.
import type { IndustrySpec } from '../core/spec.js';
import { carts } from './carts.js';
import { categories } from './categories.js';
import { retailCustomers } from './customers.js';
import { loyaltyAccounts } from './loyalty.js';
import { orders } from './orders.js';
import { products } from './products.js';
import { reviews } from './reviews.js';

export const retail: IndustrySpec = {
  name: 'retail',
  description: 'A shop: categories, products with variants and stock, customers, carts, orders through the journey, loyalty and reviews.',
  source: 'builtin',
  types: [categories, products, retailCustomers, carts, orders, loyaltyAccounts, reviews],
};
