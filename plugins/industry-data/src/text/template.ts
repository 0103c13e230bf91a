// A tiny text template language for realistic, non-Lorem text: `{slot}` takes a word from a
// vocabulary (or a value given by the caller), `[a|b|c]` picks one alternative, and the
// choices come from the entity's own stream, so a memo reads the same on every request.
import type { Random } from '@understudy/plugin-sdk';

export type Vocabulary = Record<string, readonly string[]>;

const SLOT = /\{(\w+)\}/g;
const ALTERNATIVE = /\[([^\[\]]*\|[^\[\]]*)\]/g;

/** Fills a template: values win over vocabulary words; an unknown slot is left visible so it is noticed. */
export function fill(template: string, random: Random, vocabulary: Vocabulary, values: Record<string, string | number> = {}): string {
  const picked = template.replace(ALTERNATIVE, (_, options: string) => random.pick(options.split('|')));
  return picked.replace(SLOT, (whole, name: string) => {
    if (name in values) return String(values[name]);
    const words = vocabulary[name];
    return words && words.length ? random.pick(words) : whole;
  });
}

/** Picks one template of a list and fills it. */
export function compose(templates: readonly string[], random: Random, vocabulary: Vocabulary, values?: Record<string, string | number>): string {
  return fill(random.pick(templates), random, vocabulary, values);
}

export const capitalise = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
