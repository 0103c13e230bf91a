// One faker instance whose randomness is the entity being generated: faker's Randomizer
// interface lets us plug in the kernel's seeded stream (pure-rand xoroshiro128+ behind
// createRandom), swapped per entity. So faker never holds a shared position that request
// order could move, and nested generation (an account reading its customer) restores the
// outer entity's stream afterwards. Re-seeding faker's own Mersenne Twister per entity would
// also work, but costs an initialisation of 624 words for each of the 100,000s of records.
import { Faker, base, en, type Randomizer } from '@faker-js/faker';
import type { Random } from '@understudy/plugin-sdk';

export class StreamFaker {
  private current: Random | undefined;
  readonly faker: Faker;

  constructor() {
    const randomizer: Randomizer = {
      next: () => {
        if (!this.current) throw new Error('faker used outside an entity (StreamFaker.with)');
        return this.current.next();
      },
      seed: () => {
        // seeding is per entity, through with()
      },
    };
    this.faker = new Faker({ locale: [en, base], randomizer });
  }

  /** Runs fn with faker drawing from `stream`; restores the previous stream afterwards. */
  with<T>(stream: Random, fn: (faker: Faker) => T): T {
    const previous = this.current;
    this.current = stream;
    try {
      return fn(this.faker);
    } finally {
      this.current = previous;
    }
  }
}
