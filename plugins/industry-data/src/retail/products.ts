// Products of a category with an invented brand, a templated description, variants (size,
// colour or shoe size) each with its own SKU, price and stock, a total stock that is the sum
// of the variants', and a rating summary that is exactly the average of the product's reviews.
import type { Entity, Money } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { COMPANY_WORDS } from '../text/companies.js';
import { capitalise, fill } from '../text/template.js';
import { categoryWords, slug } from './categories.js';
import { reviewRating } from './reviews.js';
import { APPAREL_SIZES, COLOURS, DESCRIPTION_TEMPLATES, PACK_SIZES, RETAIL_WORDS, SHOE_SIZES } from './vocabulary.js';

const BRAND_SUFFIXES = ['Goods', 'Supply Co.', 'Works', '& Sons', 'Studio', 'Provisions', 'Outfitters'];

export interface Variant {
  sku: string;
  option: string;
  price: Money;
  stock: number;
}

export const products: TypeSpec = {
  type: 'product',
  plural: 'products',
  idPrefix: 'prd',
  description: 'Products with invented brands, templated descriptions, variants with SKU, price and stock, and ratings that match their reviews.',
  count: 600,
  parent: { name: 'category', plural: 'categories', via: 'categoryId', minOne: true },
  fields: [
    { name: 'categoryId, department', description: 'its category and department' },
    { name: 'sku, name, brand, slug', description: 'SKU-000042; "Cast Iron Skillet"; invented brand' },
    { name: 'description', description: 'templated from the category vocabulary' },
    { name: 'price, compareAtPrice', description: 'Money: lowest variant price; the pre-sale price when on sale' },
    { name: 'variants[]', description: 'sku, option (size/colour), price, stock' },
    { name: 'stock, inStock', description: 'sum of the variants\' stock' },
    { name: 'rating', description: '{ average, count }: exactly its reviews' },
    { name: 'status, createdAt, url, imageUrl', description: 'active|discontinued; ISO instant; example.com URLs' },
  ],
  hints: [{ key: 'price', description: 'price of the first variant in minor units (others scale with it)' }],
  generate(g): Entity {
    const words = categoryWords(g.parentId());
    const item = g.rng.pick(words.items);
    const material = g.rng.pick(words.materials);
    const feature = g.rng.pick(words.features);
    const others = words.features.filter((f) => f !== feature);
    const feature2 = others.length ? g.rng.pick(others) : 'built to last';
    const name = capitalise(`${material.split(' ').slice(-2).join(' ')} ${item}`).replace(/\b\w/g, (c) => c.toUpperCase());
    const description = fill(g.rng.pick(DESCRIPTION_TEMPLATES), g.rng, RETAIL_WORDS, {
      item,
      Item: capitalise(item),
      material,
      feature,
      feature2,
      Feature: capitalise(feature),
    });
    const base = typeof g.hints.price === 'number' ? Math.round(g.hints.price) : Math.round(g.rng.int(words.price[0], words.price[1]) / 100) * 100 - 1;
    const options =
      words.variants === 'apparel' ? APPAREL_SIZES.slice(g.rng.int(0, 1))
      : words.variants === 'footwear' ? SHOE_SIZES
      : words.variants === 'colour' ? COLOURS.filter(() => g.rng.chance(0.4)).slice(0, 4)
      : words.variants === 'size' ? PACK_SIZES
      : [];
    const opts = options.length ? options : ['Standard'];
    const sku = `SKU-${String(g.id).padStart(6, '0')}`;
    const variants: Variant[] = opts.map((option, i) => ({
      sku: `${sku}-${slug(option).toUpperCase()}`,
      option,
      price: g.money(words.variants === 'size' ? base + i * Math.round(base * 0.25) : base),
      stock: g.rng.chance(0.1) ? 0 : g.rng.int(0, 240),
    }));
    const stock = variants.reduce((s, v) => s + v.stock, 0);
    const reviews = g.children('reviews');
    const ratings = reviews.map((r) => reviewRating(g.streamOf('reviews', r, 'rating')));
    const average = ratings.length ? Math.round((ratings.reduce((s, r) => s + r, 0) / ratings.length) * 10) / 10 : null;
    const onSale = g.rng.chance(0.2);
    const productSlug = `${slug(name)}-${g.id}`;
    return {
      id: g.key,
      type: 'product',
      categoryId: String(g.parentId()),
      department: words.department,
      sku,
      name,
      brand: `${g.rng.pick(COMPANY_WORDS.place)} ${g.rng.pick(BRAND_SUFFIXES)}`,
      slug: productSlug,
      description,
      price: variants.reduce((m, v) => (v.price.amount < m.amount ? v.price : m), variants[0].price),
      ...(onSale ? { compareAtPrice: g.money(Math.round(base * 1.25 / 100) * 100 - 1) } : {}),
      variants,
      stock,
      inStock: stock > 0,
      rating: { average, count: ratings.length },
      status: g.rng.chance(0.95) ? 'active' : 'discontinued',
      createdAt: iso(g.epoch - g.rng.int(10, 900) * DAY),
      url: `https://shop.example.com/p/${productSlug}`,
      imageUrl: `https://images.example.com/products/${sku}.jpg`,
    };
  },
  check(r: Entity, p: Problems) {
    const variants = r.variants as Variant[];
    const sum = variants.reduce((s, v) => s + v.stock, 0);
    if (sum !== r.stock) p.add('stock', 'stock.sum', `stock ${String(r.stock)} ≠ sum of variant stock ${sum}`);
    if (variants.some((v) => v.stock < 0)) p.add('variants', 'stock.sum', 'a variant has negative stock');
  },
};
