// Realistic leaf values: a string by its format, else by its field name (email, firstName,
// city, price…), a number by its field name within the schema's range. Values come from one
// @faker-js/faker instance (English locale) that synthesize() seeds per request, with the
// reference date fixed to the model's last sighting, so the same seed and request give the
// same body. E-mail addresses use RFC 2606 domains (example.com/.org/.net) and URLs
// example.com hosts, so a mock never points at a real person or site.
//
// faker's randomizer is the kernel's seeded generator (pure-rand xoroshiro128+, through the
// SDK's createRandom) rather than faker's default Mersenne Twister: seeding the twister
// cost 119 µs per request; with it, the e-mail maker below (faker's took 100 µs) and the
// cached field-name rules, a user body went from 650 µs to 125 µs (measured), and this way
// one generator family serves the whole kernel. faker.seed(n) is still the entry point.
import { Faker, base, en, type Randomizer } from '@faker-js/faker';
import { createRandom, type Random } from '@understudy/plugin-sdk';

let stream: Random = createRandom(0, 'faker');
const randomizer: Randomizer = {
  next: () => stream.next(),
  seed: (seed) => {
    stream = createRandom(Array.isArray(seed) ? seed.join(',') : seed, 'faker');
  },
};

/** One instance for the process: seeded at the start of every synthesis (which is synchronous). */
export const faker = new Faker({ locale: [en, base], randomizer });

/** Split `firstName`, `first_name`, `First-Name` into lower-case words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** `ada.lovelace42@example.org`: a person's name on an RFC 2606 domain (faker's exampleEmail costs 100 µs). */
function email(): string {
  const clean = (w: string) => w.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '') || 'user';
  const n = faker.number.int({ min: 0, max: 3 });
  const suffix = n === 0 ? String(faker.number.int({ min: 1, max: 99 })) : '';
  return `${clean(faker.person.firstName())}${n === 1 ? '_' : '.'}${clean(faker.person.lastName())}${suffix}@${exampleHost()}`;
}

const exampleHost = () => faker.helpers.arrayElement(['example.com', 'example.org', 'example.net']);
const slug = () => faker.helpers.slugify(faker.lorem.words({ min: 1, max: 3 })).toLowerCase();

/** A string for a known format, or undefined. */
export function byFormat(format: string, refDate: number): string | undefined {
  switch (format) {
    case 'uuid':
      return faker.string.uuid();
    case 'email':
      return email();
    case 'date-time':
      return faker.date.recent({ days: 60, refDate }).toISOString();
    case 'date':
      return faker.date.recent({ days: 365, refDate }).toISOString().slice(0, 10);
    case 'time':
      return `${faker.date.recent({ days: 1, refDate }).toISOString().slice(11, 19)}Z`;
    case 'uri':
      return `https://${exampleHost()}/${slug()}`;
    case 'ipv4':
      return faker.internet.ipv4();
    case 'hostname':
      return `${faker.word.noun().toLowerCase().replace(/[^a-z0-9]/g, '') || 'api'}.${exampleHost()}`;
    default:
      return undefined;
  }
}

type StringMaker = (ctx: { parent?: string; refDate: number }) => string;

/** Field-name rules, first match wins: the last word of the name decides, with the whole name for compounds. */
const STRING_RULES: Array<[RegExp, StringMaker]> = [
  [/^(e ?mail|email address)$|(^| )e?mail$/, () => email()],
  [/(^| )(first|given) ?name$|^forename$/, () => faker.person.firstName()],
  [/(^| )(last|family|sur) ?name$|^surname$/, () => faker.person.lastName()],
  [/(^| )(middle) ?name$/, () => faker.person.middleName()],
  [/(^| )(full ?name|display ?name|author|owner|customer ?name|contact ?name)$/, () => faker.person.fullName()],
  [/(^| )(user ?name|login|handle|nickname|screen ?name)$/, () => faker.internet.username()],
  [/(^| )(company|organi[sz]ation|employer|vendor|supplier|brand|manufacturer)( name)?$/, () => faker.company.name()],
  [/(^| )(product|item|article)( name| title)?$/, () => faker.commerce.productName()],
  [/(^| )(department|category|section|genre)( name)?$/, () => faker.commerce.department()],
  [/^name$/, ({ parent }) => nameFor(parent)],
  [/(^| )(phone|mobile|tel|telephone|fax|cell)( number)?$/, () => faker.phone.number({ style: 'national' })],
  [/(^| )(street|address|address ?line ?1|line ?1|address1)$/, () => faker.location.streetAddress()],
  [/(^| )(address ?line ?2|line ?2|address2|suite|apartment)$/, () => faker.location.secondaryAddress()],
  [/(^| )(city|town)$/, () => faker.location.city()],
  [/(^| )(state|province|region)$/, () => faker.location.state()],
  [/(^| )(country ?code|country ?iso)$/, () => faker.location.countryCode()],
  [/(^| )country$/, () => faker.location.country()],
  [/(^| )(zip|zip ?code|postal ?code|post ?code|postcode)$/, () => faker.location.zipCode()],
  [/(^| )(time ?zone|tz)$/, () => faker.location.timeZone()],
  [/(^| )(currency|currency ?code)$/, () => faker.finance.currencyCode()],
  [/(^| )(locale|lang|language)$/, () => faker.helpers.arrayElement(['en-US', 'en-GB', 'fr-FR', 'de-DE', 'es-ES', 'ja-JP'])],
  [/(^| )(colou?r)$/, () => faker.color.human()],
  [/(^| )(job ?title|role|position|occupation)$/, () => faker.person.jobTitle()],
  [/(^| )(url|website|homepage|link|href|uri)$/, () => `https://${exampleHost()}/${slug()}`],
  [/(^| )(avatar|image|photo|picture|thumbnail|logo|icon)( url)?$/, () => `https://images.example.com/${faker.string.alphanumeric({ length: 12, casing: 'lower' })}.jpg`],
  [/(^| )(ip|ip ?address|ipv4)$/, () => faker.internet.ipv4()],
  [/(^| )(domain|host|hostname)$/, () => `${faker.word.noun().toLowerCase().replace(/[^a-z0-9]/g, '') || 'www'}.${exampleHost()}`],
  [/(^| )(sku|code|reference|ref|serial)$/, () => faker.string.alphanumeric({ length: 8, casing: 'upper' })],
  [/(^| )(slug)$/, () => slug()],
  [/(^| )(version)$/, () => faker.system.semver()],
  [/(^| )(token|secret|password|api ?key|hash|signature)$/, () => faker.string.alphanumeric({ length: 32 })],
  [/(^| )(title|headline|subject)$/, () => faker.lorem.sentence({ min: 3, max: 6 }).replace(/\.$/, '')],
  [/(^| )(description|summary|bio|about|comment|note|notes|body|text|message|content|details)$/, () => faker.lorem.sentences({ min: 1, max: 2 })],
  [/(^| )(status|state)$/, () => faker.helpers.arrayElement(['active', 'pending', 'inactive'])],
  [/(^| )(type|kind)$/, () => faker.word.noun()],
  [/(^| )(tag|tags|label|keyword)$/, () => faker.word.adjective()],
  [/(^| )(id|uuid|guid|key)$/, () => faker.string.uuid()],
  [/(^| )(at|date|time|timestamp)$|(created|updated|modified|deleted|published|expires?)( on)?$/, ({ refDate }) => faker.date.recent({ days: 60, refDate }).toISOString()],
];

function nameFor(parent: string | undefined): string {
  const p = words(parent ?? '').join(' ');
  if (/product|item|article|sku/.test(p)) return faker.commerce.productName();
  if (/compan|organi|vendor|supplier|brand|merchant|store|shop/.test(p)) return faker.company.name();
  if (/categor|department|section/.test(p)) return faker.commerce.department();
  if (/city|town/.test(p)) return faker.location.city();
  if (/country/.test(p)) return faker.location.country();
  if (/tag|label/.test(p)) return faker.word.adjective();
  if (/file|document|attachment/.test(p)) return faker.system.fileName();
  return faker.person.fullName();
}

/** Field name → its rule (null: none), bounded; the regex walk cost 10–25 µs a field. */
const ruleCache = new Map<string, StringMaker | null>();
const RULE_CACHE_LIMIT = 4096;

function ruleFor(name: string): StringMaker | null {
  let rule = ruleCache.get(name);
  if (rule !== undefined) return rule;
  const phrase = words(name).join(' ');
  rule = STRING_RULES.find(([re]) => re.test(phrase))?.[1] ?? null;
  if (ruleCache.size >= RULE_CACHE_LIMIT) ruleCache.clear();
  ruleCache.set(name, rule);
  return rule;
}

/** A string chosen by field name, or undefined when the name says nothing. */
export function byName(name: string | undefined, parent: string | undefined, refDate: number): string | undefined {
  if (!name) return undefined;
  return ruleFor(name)?.({ parent, refDate });
}

/** A plain string when neither format nor name helps: one to three words. */
export function plainString(): string {
  return faker.lorem.words({ min: 1, max: 3 });
}

/** A typical range for a number field by its name, used when the schema gives no bound. */
export function numberRange(name: string | undefined, integer: boolean): { min: number; max: number; decimals: number } {
  const phrase = words(name ?? '').join(' ');
  if (/(^| )(price|amount|total|subtotal|cost|balance|fee|tax|discount|salary|revenue)$/.test(phrase)) return { min: 1, max: 500, decimals: integer ? 0 : 2 };
  if (/(^| )(lat|latitude)$/.test(phrase)) return { min: -90, max: 90, decimals: integer ? 0 : 6 };
  if (/(^| )(lng|lon|long|longitude)$/.test(phrase)) return { min: -180, max: 180, decimals: integer ? 0 : 6 };
  if (/(^| )age$/.test(phrase)) return { min: 18, max: 90, decimals: 0 };
  if (/(^| )(count|quantity|qty|items|stock|size|limit|per page|page size)$/.test(phrase)) return { min: 0, max: 50, decimals: 0 };
  if (/(^| )(page|rank|position|order|level|step)$/.test(phrase)) return { min: 1, max: 20, decimals: 0 };
  if (/(^| )(rating|score|stars)$/.test(phrase)) return { min: 1, max: 5, decimals: integer ? 0 : 1 };
  if (/(^| )(percent|percentage|ratio|rate|probability)$/.test(phrase)) return { min: 0, max: 100, decimals: integer ? 0 : 2 };
  if (/(^| )(year)$/.test(phrase)) return { min: 1990, max: 2030, decimals: 0 };
  if (/(^| )(timestamp|at|time|epoch)$/.test(phrase)) return { min: 1_600_000_000_000, max: 1_800_000_000_000, decimals: 0 };
  if (/(^| )id$/.test(phrase)) return { min: 1, max: 100_000, decimals: 0 };
  return { min: 0, max: 1000, decimals: integer ? 0 : 2 };
}
