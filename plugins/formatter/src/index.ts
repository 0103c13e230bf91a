// The formatter plugin: beautiful responses at Stage.Shape. For JSON responses of the
// configured paths (never /__admin) it negotiates JSON or XML (Accept with q-values, or
// ?format=), prints pretty on ?pretty, renders money { amount, currency } with ISO 4217
// minor units and a display string, and keeps dates ISO 8601 UTC.
import { definePlugin, KernelErrors, Stage } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { FormatterConfigSchema, type FormatterConfig } from './config.js';
import { createShaper } from './shape.js';

export { FormatterConfigSchema, MONEY_FIELDS, type FormatterConfig, type MoneyField } from './config.js';
export { FormatterErrors } from './errors.js';
export { MoneyRenderer, decimalString, minorUnitDigits } from './money.js';
export { negotiate, parseAccept, REPRESENTATIONS, type Format, type Representation } from './negotiate.js';
export { toXml, rootName, elementName } from './xml.js';
export type { FormatterStats } from './shape.js';

/** Problems Intl finds in the money settings (an unknown locale), with their config paths. */
function localeProblems(config: FormatterConfig): string[] {
  try {
    new Intl.NumberFormat(config.money.locale, { style: 'currency', currency: 'EUR' });
    return [];
  } catch (err) {
    return [`plugins.formatter.money.locale: "${config.money.locale}" is not a BCP 47 locale Intl knows (${(err as Error).message}); use e.g. en-US, de-DE, ja-JP`];
  }
}

export default definePlugin({
  name: 'formatter',
  version: '0.1.0',
  description: 'Beautiful responses at the Shape stage: JSON or XML by content negotiation, pretty printing, money and dates formatted consistently.',
  config: FormatterConfigSchema,
  register(ctx) {
    const problems = localeProblems(ctx.config);
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems);
    const { shape, stats } = createShaper(ctx.config);
    ctx.hooks.exchange.tap({ name: 'formatter', stage: Stage.Shape }, shape);
    ctx.admin(adminRoutes(stats, ctx.config));
  },
});
