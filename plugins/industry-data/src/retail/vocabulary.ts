// Retail words: a catalogue of departments and categories with their item nouns, materials,
// features and variant axes, plus templates for product descriptions and reviews. Brands are
// invented (text/companies.ts), so no real product is ever described.
import type { Vocabulary } from '../text/template.js';

export interface CategoryWords {
  name: string;
  department: string;
  items: readonly string[];
  materials: readonly string[];
  features: readonly string[];
  variants: 'apparel' | 'footwear' | 'colour' | 'size' | 'none';
  price: [number, number];
}

export const CATEGORIES: readonly CategoryWords[] = [
  { name: 'Cookware', department: 'Home & Kitchen', items: ['skillet', 'saucepan', 'stockpot', 'wok', 'Dutch oven'], materials: ['cast iron', 'tri-ply stainless steel', 'hard-anodised aluminium', 'carbon steel'], features: ['works on induction hobs', 'oven-safe to 260 °C', 'riveted stay-cool handle', 'pre-seasoned and ready to use'], variants: 'size', price: [2_900, 18_900] },
  { name: 'Tableware', department: 'Home & Kitchen', items: ['dinner plate set', 'serving bowl', 'mug set', 'tumbler set'], materials: ['stoneware', 'porcelain', 'recycled glass', 'bamboo fibre'], features: ['dishwasher and microwave safe', 'hand-glazed, so each piece differs a little', 'stacks neatly in small cupboards'], variants: 'colour', price: [1_800, 8_900] },
  { name: 'Bedding', department: 'Home & Kitchen', items: ['duvet cover', 'pillowcase pair', 'fitted sheet', 'throw blanket'], materials: ['organic cotton percale', 'washed linen', 'brushed cotton flannel', 'Tencel lyocell'], features: ['breathable for warm sleepers', 'softens with every wash', 'hidden button closure'], variants: 'size', price: [2_400, 14_900] },
  { name: 'Storage', department: 'Home & Kitchen', items: ['storage basket', 'pantry jar set', 'shelf organiser', 'under-bed box'], materials: ['seagrass', 'borosilicate glass', 'powder-coated steel', 'recycled felt'], features: ['airtight bamboo lids', 'folds flat when not in use', 'labels included'], variants: 'size', price: [900, 5_900] },
  { name: 'Lighting', department: 'Home & Kitchen', items: ['table lamp', 'floor lamp', 'pendant light', 'desk lamp'], materials: ['spun brass', 'matte ceramic', 'oak and linen', 'frosted glass'], features: ['dimmable warm-white LED', 'braided fabric cable', 'touch switch on the base'], variants: 'colour', price: [3_900, 22_900] },
  { name: 'Camping', department: 'Outdoors', items: ['two-person tent', 'sleeping bag', 'camp stove', 'headlamp'], materials: ['ripstop nylon', 'recycled polyester', 'anodised aluminium'], features: ['packs down to the size of a water bottle', 'rated to −5 °C comfort', 'sets up in under five minutes'], variants: 'colour', price: [2_500, 34_900] },
  { name: 'Cycling', department: 'Outdoors', items: ['bike helmet', 'bike light set', 'saddle bag', 'cycling gloves'], materials: ['in-mould EPS', 'water-resistant Cordura', 'reflective knit'], features: ['USB-C rechargeable', 'visible from 300 metres', 'MIPS-style rotational protection'], variants: 'size', price: [1_900, 12_900] },
  { name: 'Garden', department: 'Outdoors', items: ['pruning shears', 'watering can', 'raised bed kit', 'kneeling pad'], materials: ['carbon-steel blades', 'galvanised steel', 'larch wood', 'recycled rubber'], features: ['replaceable spring and blade', 'long spout for gentle watering', 'assembles without tools'], variants: 'none', price: [1_200, 16_900] },
  { name: 'Hiking', department: 'Outdoors', items: ['daypack', 'trekking poles', 'insulated water bottle', 'rain cover'], materials: ['recycled nylon', 'carbon fibre', 'double-wall stainless steel'], features: ['keeps drinks cold for 24 hours', 'ventilated back panel', 'flick-lock adjustment'], variants: 'colour', price: [1_900, 15_900] },
  { name: 'Outerwear', department: 'Apparel', items: ['rain jacket', 'wool coat', 'puffer vest', 'softshell jacket'], materials: ['three-layer waterproof shell', 'recycled wool blend', 'responsibly sourced down'], features: ['pit zips for ventilation', 'packs into its own pocket', 'adjustable hood with a stiff peak'], variants: 'apparel', price: [7_900, 34_900] },
  { name: 'Knitwear', department: 'Apparel', items: ['merino sweater', 'cardigan', 'ribbed beanie', 'roll-neck jumper'], materials: ['extra-fine merino', 'lambswool', 'organic cotton'], features: ['naturally odour resistant', 'ribbed cuffs and hem', 'machine washable on wool cycle'], variants: 'apparel', price: [2_900, 14_900] },
  { name: 'Footwear', department: 'Apparel', items: ['trail runner', 'leather boot', 'canvas sneaker', 'house slipper'], materials: ['full-grain leather', 'recycled mesh', 'organic canvas', 'boiled wool'], features: ['grippy lugged outsole', 'removable cork footbed', 'resoleable Goodyear welt'], variants: 'footwear', price: [4_900, 22_900] },
  { name: 'Basics', department: 'Apparel', items: ['crew-neck tee', 'chino trousers', 'oxford shirt', 'hoodie'], materials: ['heavyweight organic cotton', 'stretch twill', 'brushed loopback jersey'], features: ['pre-shrunk so it keeps its fit', 'reinforced seams', 'relaxed fit'], variants: 'apparel', price: [1_500, 7_900] },
  { name: 'Audio', department: 'Electronics', items: ['wireless earbuds', 'bookshelf speaker', 'over-ear headphones'], materials: ['recycled aluminium', 'walnut veneer', 'memory-foam cushions'], features: ['30 hours of battery life', 'active noise cancellation', 'multipoint Bluetooth pairing'], variants: 'colour', price: [4_900, 39_900] },
  { name: 'Smart Home', department: 'Electronics', items: ['smart plug', 'smart thermostat', 'video doorbell', 'motion sensor'], materials: ['flame-retardant polycarbonate', 'brushed steel'], features: ['works without a hub', 'schedules and energy reports in the app', 'local control when the internet is down'], variants: 'none', price: [1_900, 24_900] },
  { name: 'Accessories', department: 'Electronics', items: ['braided charging cable', 'power bank', 'laptop sleeve', 'phone stand'], materials: ['braided nylon', 'recycled felt', 'anodised aluminium'], features: ['charges two devices at once', 'survives 20,000 bends', 'fits laptops up to 14 inches'], variants: 'colour', price: [900, 6_900] },
  { name: 'Computing', department: 'Electronics', items: ['mechanical keyboard', 'wireless mouse', 'monitor stand', 'webcam'], materials: ['PBT keycaps', 'aluminium frame', 'bamboo'], features: ['hot-swappable switches', 'silent clicks', 'cable management underneath'], variants: 'colour', price: [2_900, 18_900] },
  { name: 'Skincare', department: 'Beauty', items: ['face serum', 'daily moisturiser', 'gel cleanser', 'SPF 30 sunscreen'], materials: ['niacinamide', 'hyaluronic acid', 'squalane', 'oat extract'], features: ['fragrance free', 'suitable for sensitive skin', 'in a recyclable glass bottle'], variants: 'size', price: [1_200, 5_900] },
  { name: 'Haircare', department: 'Beauty', items: ['shampoo bar', 'conditioner', 'hair oil', 'wide-tooth comb'], materials: ['argan oil', 'rice protein', 'rosemary extract'], features: ['sulphate free', 'lasts up to 80 washes', 'for curly and wavy hair'], variants: 'size', price: [800, 3_900] },
  { name: 'Fragrance', department: 'Beauty', items: ['eau de parfum', 'scented candle', 'reed diffuser'], materials: ['cedarwood and bergamot', 'fig leaf and vetiver', 'sea salt and sage'], features: ['hand-poured soy wax', 'burns for 50 hours', 'refillable bottle'], variants: 'size', price: [1_800, 11_900] },
  { name: 'Coffee & Tea', department: 'Grocery', items: ['whole bean coffee', 'loose leaf tea', 'cold brew concentrate'], materials: ['single-origin Arabica', 'first-flush Darjeeling', 'Sencha green tea'], features: ['roasted this week', 'notes of cocoa and cherry', 'in a resealable valve bag'], variants: 'size', price: [900, 3_400] },
  { name: 'Pantry', department: 'Grocery', items: ['extra virgin olive oil', 'bronze-cut pasta', 'toasted granola', 'wildflower honey'], materials: ['cold-pressed Koroneiki olives', 'durum wheat semolina', 'rolled oats and almonds'], features: ['harvested this season', 'no added sugar', 'small-batch'], variants: 'size', price: [450, 2_400] },
  { name: 'Snacks', department: 'Grocery', items: ['dark chocolate bar', 'trail mix', 'sea salt crisps', 'fruit leather'], materials: ['70% cocoa', 'roasted nuts and dried fruit', 'hand-cooked potatoes'], features: ['vegan', 'gluten free', 'in compostable packaging'], variants: 'none', price: [250, 1_200] },
];

export const COLOURS = ['Charcoal', 'Sand', 'Forest', 'Navy', 'Rust', 'Oat', 'Slate', 'Sage'];
export const APPAREL_SIZES = ['XS', 'S', 'M', 'L', 'XL'];
export const SHOE_SIZES = ['37', '38', '39', '40', '41', '42', '43', '44'];
export const PACK_SIZES = ['Small', 'Medium', 'Large'];

export const RETAIL_WORDS: Vocabulary = {
  care: ['Wipe clean with a damp cloth.', 'Wash cold, dry flat.', 'Backed by our two-year guarantee.', 'Free returns within 30 days.', 'Made in a Fair Trade certified factory.'],
  praise: ['exactly as described', 'better than I expected', 'well made', 'great value', 'arrived quickly'],
  complaint: ['smaller than I expected', 'the colour is darker than in the photos', 'arrived with a scuff', 'took two weeks to arrive', 'stopped working after a month'],
  usage: ['every day for a month', 'on a weekend trip', 'for a few weeks now', 'since it arrived'],
};

export const DESCRIPTION_TEMPLATES = [
  'Our {item} in {material}: {feature}, and {feature2}. {care}',
  'A {item} made from {material}, {feature}. {care}',
  '{Item} in {material}. {Feature}. {care}',
];

export const REVIEW_TEMPLATES: Record<'good' | 'mixed' | 'bad', { titles: readonly string[]; bodies: readonly string[] }> = {
  good: {
    titles: ['Love it', 'Exactly what I wanted', 'Great {item}', 'Would recommend'],
    bodies: ['I have used this {item} {usage} and it is {praise}. The {material} feels premium.', 'Bought the {variant} one – {praise}. Would buy again.'],
  },
  mixed: {
    titles: ['Good, not perfect', 'Does the job', 'Mostly happy'],
    bodies: ['The {item} is {praise}, but {complaint}.', 'Nice {material}, though {complaint}. Using it {usage}.'],
  },
  bad: {
    titles: ['Disappointed', 'Not for me', 'Returned it'],
    bodies: ['Unfortunately {complaint}. I sent the {item} back.', 'I wanted to like this {item}, but {complaint}.'],
  },
};

export const LOYALTY_TIERS = [
  { tier: 'bronze', min: 0 },
  { tier: 'silver', min: 500 },
  { tier: 'gold', min: 2000 },
  { tier: 'platinum', min: 5000 },
] as const;

export const JOURNEY = ['browsed', 'added-to-cart', 'checked-out', 'shipped', 'delivered', 'returned'] as const;
export type JourneyStep = (typeof JOURNEY)[number];
