// Money as the demo world writes it — `{ amount: <integer minor units>, currency: "EUR" }` —
// rendered for people: `{ amount: "12.34", currency: "EUR", minorUnits: 1234, display: "€12.34" }`.
//
// The number of minor units is ISO 4217's, from the table below, not ICU's: ICU rounds
// some currencies to what is used in cash or in practice (its data gives HUF, TWD and
// others 0 digits in some versions), which would move the decimal point of amounts the
// generators wrote in ISO's minor units. The amount string is built from the integer's
// digits (no division, so no binary rounding), and Intl.NumberFormat formats that string
// exactly (Node 20's Intl accepts decimal strings).
import type { MoneyField } from './config.js';

/** ISO 4217 currencies whose minor unit is not 2 digits (list one, 2024 amendments). */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};
/** Codes without a minor unit at all (precious metals, testing, no currency): not money to render. */
const NO_MINOR_UNIT = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);

let knownCurrencies: Set<string> | undefined;
/** ISO 4217 codes this runtime's Intl knows (its list follows ISO, less some fund codes such as CLF), or the table above. */
function isCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return (knownCurrencies.has(code) || code in EXPONENTS) && !NO_MINOR_UNIT.has(code);
}

/** ISO 4217 minor-unit digits of a currency (JPY 0, EUR 2, BHD 3). */
export function minorUnitDigits(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** `1234`, 2 → `"12.34"`; `-5`, 2 → `"-0.05"`; `7`, 0 → `"7"` — exact, from the digits. */
export function decimalString(minor: number, digits: number): string {
  const negative = minor < 0;
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return negative ? `-${whole}` : whole;
}

export interface MoneyOptions {
  locale: string;
  currencyDisplay: 'symbol' | 'narrowSymbol' | 'code' | 'name';
  fields: readonly MoneyField[];
}

/** Renders money objects; one Intl.NumberFormat per currency, built on first use (they are costly to build). */
export class MoneyRenderer {
  private readonly formats = new Map<string, Intl.NumberFormat>();

  constructor(private readonly options: MoneyOptions) {}

  /** True for `{ amount: <safe integer>, currency: <ISO 4217 code> }` and nothing else. */
  isMoney(value: Record<string, unknown>): boolean {
    let keys = 0;
    for (const _ in value) keys++;
    const { amount, currency } = value;
    return keys === 2 && Number.isSafeInteger(amount) && typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) && isCurrency(currency);
  }

  render(amount: number, currency: string): Record<string, unknown> {
    const digits = minorUnitDigits(currency);
    const decimal = decimalString(amount, digits);
    const out: Record<string, unknown> = {};
    for (const field of this.options.fields) {
      if (field === 'amount') out.amount = decimal;
      else if (field === 'currency') out.currency = currency;
      else if (field === 'minorUnits') out.minorUnits = amount;
      // Intl's typings want a number; at run time it formats the decimal string exactly
      else out.display = this.format(currency, digits).format(decimal as unknown as number);
    }
    return out;
  }

  private format(currency: string, digits: number): Intl.NumberFormat {
    let f = this.formats.get(currency);
    if (!f) {
      f = new Intl.NumberFormat(this.options.locale, {
        style: 'currency',
        currency,
        currencyDisplay: this.options.currencyDisplay,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      this.formats.set(currency, f);
    }
    return f;
  }
}
