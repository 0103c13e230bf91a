// Contact data that cannot reach anyone: e-mail addresses on the domains RFC 2606 reserves
// (example.com, example.net, example.org and the .test/.example/.invalid/.localhost TLDs),
// URLs on the same, IPv4 addresses from RFC 5737's documentation blocks (192.0.2.0/24,
// 198.51.100.0/24, 203.0.113.0/24), IPv6 from RFC 3849 (2001:db8::/32), and phone numbers
// from the ranges set aside for fiction: NANPA's 555-0100 to 555-0199 in every North American
// area code, and Ofcom's drama numbers (07700 900000–900999 mobile, 020 7946 0000–0999 London).

export const SAFE_EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;
const RESERVED_TLDS = ['test', 'example', 'invalid', 'localhost'];

export function safeDomain(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (SAFE_EMAIL_DOMAINS.some((d) => h === d || h.endsWith(`.${d}`))) return true;
  const tld = h.slice(h.lastIndexOf('.') + 1);
  return RESERVED_TLDS.includes(tld);
}

/** `maria.chen.42@example.com` from name parts (accents and spaces folded away). */
export function makeEmail(parts: string[], id: string | number, domain: string = SAFE_EMAIL_DOMAINS[0]): string {
  const local = parts
    .map((p) =>
      p
        .normalize('NFKD')
        .replace(/[^A-Za-z0-9]/g, '')
        .toLowerCase(),
    )
    .filter(Boolean)
    .join('.');
  return `${local || 'user'}.${id}@${domain}`;
}

export function emailProblems(email: string): string[] {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return [`"${email}" is not an e-mail address`];
  const domain = email.slice(at + 1);
  return safeDomain(domain) ? [] : [`e-mail domain "${domain}" is not reserved by RFC 2606 (use example.com, example.net, example.org or a .test domain)`];
}

export function urlProblems(url: string): string[] {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return [`"${url}" is not a URL`];
  }
  return safeDomain(host) ? [] : [`URL host "${host}" is not reserved by RFC 2606`];
}

const V4_BLOCKS = ['192.0.2.', '198.51.100.', '203.0.113.'];

export function makeIpv4(random: { int(min: number, max: number): number }): string {
  return `${V4_BLOCKS[random.int(0, 2)]}${random.int(1, 254)}`;
}

export function ipProblems(ip: string): string[] {
  if (ip.includes(':')) return ip.toLowerCase().startsWith('2001:db8:') ? [] : [`IPv6 address ${ip} is outside RFC 3849's 2001:db8::/32`];
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) return [`"${ip}" is not an IPv4 address`];
  return V4_BLOCKS.some((b) => ip.startsWith(b)) ? [] : [`IPv4 address ${ip} is outside RFC 5737's documentation blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)`];
}

// area codes that look real in a demo (NANPA: 555-01xx is fictional in all of them)
const AREA_CODES = ['212', '305', '312', '415', '503', '617', '702', '713', '206', '404'];

export function makePhone(random: { int(min: number, max: number): number }, country: 'US' | 'GB' = 'US'): string {
  if (country === 'GB') {
    return random.int(0, 1) === 0 ? `+44 7700 900${String(random.int(0, 999)).padStart(3, '0')}` : `+44 20 7946 0${String(random.int(0, 999)).padStart(3, '0')}`;
  }
  return `+1-${AREA_CODES[random.int(0, AREA_CODES.length - 1)]}-555-01${String(random.int(0, 99)).padStart(2, '0')}`;
}

const US_FICTIONAL = /^\+1-[2-9]\d{2}-555-01\d{2}$/;
const GB_FICTIONAL = /^\+44 (7700 900\d{3}|20 7946 0\d{3})$/;

export function phoneProblems(phone: string): string[] {
  if (US_FICTIONAL.test(phone) || GB_FICTIONAL.test(phone)) return [];
  return [`phone ${phone} is outside the fictional ranges (+1-NXX-555-0100…0199, +44 7700 900xxx, +44 20 7946 0xxx)`];
}
