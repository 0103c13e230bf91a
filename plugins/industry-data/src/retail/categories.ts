// Catalogue categories, grouped into departments, from the retail vocabulary; ids past the
// vocabulary's length reuse its words with a series number so any count works.
import type { Entity } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { CATEGORIES, type CategoryWords } from './vocabulary.js';

export const categoryWords = (id: number): CategoryWords => CATEGORIES[(id - 1) % CATEGORIES.length];

export const slug = (s: string) => s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export const categories: TypeSpec = {
  type: 'category',
  plural: 'categories',
  idPrefix: 'cat',
  description: 'Catalogue categories grouped into departments (Home & Kitchen, Outdoors, Apparel, Electronics, Beauty, Grocery).',
  count: CATEGORIES.length,
  fields: [
    { name: 'name, slug, department', description: '"Cookware", "cookware", "Home & Kitchen"' },
    { name: 'description', description: 'one line naming its kinds of items' },
    { name: 'url', description: 'https://shop.example.com/c/<slug> (RFC 2606 host)' },
  ],
  hints: [],
  generate(g): Entity {
    const words = categoryWords(g.id);
    const series = Math.floor((g.id - 1) / CATEGORIES.length);
    const name = series ? `${words.name} ${series + 1}` : words.name;
    return {
      id: g.key,
      type: 'category',
      name,
      slug: slug(name),
      department: words.department,
      description: `${words.items.slice(0, -1).join(', ')} and ${words.items[words.items.length - 1]} in ${words.materials.slice(0, 2).join(' or ')}.`,
      url: `https://shop.example.com/c/${slug(name)}`,
    };
  },
};
