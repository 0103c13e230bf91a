// The two checksums behind safe identifiers: ISO 7064 mod 97-10 (IBAN check digits,
// ISO 13616) and the Luhn mod-10 algorithm (ISO/IEC 7812-1 card numbers; also our MRNs).

/** Remainder mod 97 of a string of digits and letters (A=10 … Z=35), chunked to stay in safe integers. */
export function mod97(text: string): number {
  let remainder = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder;
}

/** True when the digits pass the Luhn check. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit to append to `digits`. */
export function luhnDigit(digits: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(digits + d)) return String(d);
  /* c8 ignore next */
  throw new Error('unreachable');
}
