// The sample API's world: users (integer ids), products (uuid ids) and orders (integer ids,
// each with its user and items), generated from the plugin's seeded stream so every run
// with the same seed serves the same data. Plain objects in Maps; writes change them.
import type { Random } from '@understudy/plugin-sdk';

export interface User {
  id: number;
  name: string;
  email: string;
  role: 'customer' | 'admin' | 'support';
  createdAt: string;
  address: { city: string; country: string; postcode: string };
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  category: 'books' | 'games' | 'garden' | 'kitchen' | 'music';
  price: number;
  inStock: boolean;
  tags: string[];
}

export interface Order {
  id: number;
  userId: number;
  status: 'pending' | 'paid' | 'shipped' | 'cancelled';
  items: Array<{ productId: string; quantity: number; price: number }>;
  total: number;
  createdAt: string;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Linus', 'Radia', 'Dennis'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Torvalds', 'Perlman', 'Ritchie'];
const CITIES: Array<[string, string]> = [['Lyon', 'FR'], ['Porto', 'PT'], ['Leeds', 'GB'], ['Graz', 'AT'], ['Turku', 'FI'], ['Ghent', 'BE']];
const CATEGORIES: Product['category'][] = ['books', 'games', 'garden', 'kitchen', 'music'];
const NOUNS = ['Lamp', 'Kettle', 'Atlas', 'Trowel', 'Vinyl', 'Puzzle', 'Teapot', 'Planter', 'Novel', 'Board game'];
const ADJECTIVES = ['Blue', 'Compact', 'Deluxe', 'Quiet', 'Vintage', 'Solar', 'Folding', 'Tiny'];
const TAGS = ['new', 'sale', 'eco', 'gift', 'bestseller'];
const STATUSES: Order['status'][] = ['pending', 'paid', 'shipped', 'cancelled'];

/** A v4 UUID from the seeded stream. */
export function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = (8 + random.int(0, 3)).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const cents = (n: number) => Math.round(n * 100) / 100;

export class SampleData {
  readonly users = new Map<number, User>();
  readonly products = new Map<string, Product>();
  readonly orders = new Map<number, Order>();
  nextUserId = 1;
  nextOrderId = 1001;

  constructor(
    private readonly random: Random,
    /** Kernel clock time the world is dated from. */
    private readonly now: number,
    sizes = { users: 40, products: 30, orders: 80 },
  ) {
    for (let i = 0; i < sizes.users; i++) this.addUser(this.someUser());
    for (let i = 0; i < sizes.products; i++) this.addProduct();
    const userIds = [...this.users.keys()];
    for (let i = 0; i < sizes.orders; i++) this.addOrder(random.pick(userIds), this.someItems());
  }

  private dateBefore(days: number): string {
    return new Date(this.now - this.random.int(0, days * 86_400) * 1000).toISOString();
  }

  someUser(): Omit<User, 'id'> {
    const r = this.random;
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const [city, country] = r.pick(CITIES);
    return {
      name: `${first} ${last}`,
      email: `${first}.${last}${r.int(1, 99)}@example.com`.toLowerCase(),
      role: r.chance(0.1) ? 'admin' : r.chance(0.1) ? 'support' : 'customer',
      createdAt: this.dateBefore(700),
      address: { city, country, postcode: String(r.int(10000, 99999)) },
    };
  }

  addUser(fields: Omit<User, 'id'>): User {
    const user = { id: this.nextUserId++, ...fields };
    this.users.set(user.id, user);
    return user;
  }

  private addProduct(): Product {
    const r = this.random;
    const product: Product = {
      id: uuid(r),
      sku: `SKU-${r.int(100000, 999999)}`,
      name: `${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`,
      category: r.pick(CATEGORIES),
      price: cents(r.int(299, 19999) / 100),
      inStock: r.chance(0.8),
      tags: TAGS.filter(() => r.chance(0.3)),
    };
    this.products.set(product.id, product);
    return product;
  }

  someItems(): Order['items'] {
    const ids = [...this.products.keys()];
    return Array.from({ length: this.random.int(1, 4) }, () => {
      const productId = this.random.pick(ids);
      return { productId, quantity: this.random.int(1, 3), price: this.products.get(productId)!.price };
    });
  }

  addOrder(userId: number, items: Order['items'], status?: Order['status']): Order {
    const order: Order = {
      id: this.nextOrderId++,
      userId,
      status: status ?? this.random.pick(STATUSES),
      items,
      total: cents(items.reduce((sum, i) => sum + i.price * i.quantity, 0)),
      createdAt: this.dateBefore(90),
    };
    this.orders.set(order.id, order);
    return order;
  }
}
