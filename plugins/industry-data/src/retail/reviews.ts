// Product reviews by customers: a rating drawn from the review's own "rating" stream (so its
// product can average its reviews without generating them), and a title and body from
// templates that match the rating's sentiment and the product's words.
import type { Random } from '@understudy/plugin-sdk';
import type { Entity } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso } from '../core/time.js';
import { compose } from '../text/template.js';
import { REVIEW_TEMPLATES, RETAIL_WORDS } from './vocabulary.js';

/** 5★ 45 %, 4★ 28 %, 3★ 12 %, 2★ 7 %, 1★ 8 % — the J-shape online ratings have. */
export function reviewRating(random: Random): number {
  const r = random.next();
  return r < 0.45 ? 5 : r < 0.73 ? 4 : r < 0.85 ? 3 : r < 0.92 ? 2 : 1;
}

export const reviews: TypeSpec = {
  type: 'review',
  plural: 'reviews',
  idPrefix: 'rev',
  description: 'Product reviews whose ratings make up their product\'s rating, with text matching the rating.',
  count: 2400,
  parent: { name: 'product', plural: 'products', via: 'productId' },
  refs: [{ name: 'customer', plural: 'customers', via: 'customerId' }],
  fields: [
    { name: 'productId, customerId', description: 'the product and its reviewer' },
    { name: 'rating', description: '1–5' },
    { name: 'title, body', description: 'templated, sentiment matches the rating' },
    { name: 'reviewerName', description: '"Maria C." (the customer\'s name)' },
    { name: 'verifiedPurchase, helpfulVotes, createdAt', description: 'boolean; count; ISO instant' },
  ],
  hints: [],
  generate(g): Entity {
    const product = g.parent();
    const rating = reviewRating(g.streamOf('reviews', g.id, 'rating'));
    const customerId = g.pick('customers');
    const customer = customerId ? g.get('customers', customerId) : undefined;
    const mood = rating >= 4 ? 'good' : rating === 3 ? 'mixed' : 'bad';
    const t = REVIEW_TEMPLATES[mood];
    const name = String(product.name);
    const values = { item: name.toLowerCase(), material: String(product.description).split(' in ')[1]?.split(/[:.]/)[0] ?? 'material', variant: String((product.variants as Array<{ option: string }>)[0]?.option ?? 'standard').toLowerCase() };
    return {
      id: g.key,
      type: 'review',
      productId: String(g.parentId()),
      customerId: String(customerId),
      reviewerName: customer ? `${String(customer.givenName)} ${String(customer.familyName)[0]}.` : 'A customer',
      rating,
      title: compose(t.titles, g.rng, RETAIL_WORDS, values),
      body: compose(t.bodies, g.rng, RETAIL_WORDS, values),
      verifiedPurchase: g.rng.chance(0.8),
      helpfulVotes: g.rng.int(0, 40),
      createdAt: iso(g.epoch - g.rng.int(1, 400) * DAY),
    };
  },
};
