// The built-in industries, by name.
import type { IndustrySpec } from './core/spec.js';
import { finance } from './finance/index.js';
import { healthcare } from './healthcare/index.js';
import { retail } from './retail/index.js';

export const BUILTIN_INDUSTRIES: Record<string, IndustrySpec> = { finance, healthcare, retail };
