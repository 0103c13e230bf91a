// The demo preset: three ready demos — a bank (finance), a hospital (healthcare) and a shop
// (retail) — with a hero persona each, a scenario script each, JSON or XML on request and
// recording markers. `understudy start --preset demo`, then see presets/demo/README.md.
import formatter from '@understudy/plugin-formatter';
import industryData from '@understudy/plugin-industry-data';
import personas from '@understudy/plugin-personas';
import recorder from '@understudy/plugin-recorder';
import scenarios from '@understudy/plugin-scenarios';
import { definePreset } from '@understudy/plugin-sdk';
import { bankScenario } from './bank.js';
import { hospitalScenario } from './hospital.js';
import { shopScenario } from './shop.js';

export default definePreset({
  name: 'demo',
  description: 'Three ready demos — a hospital, a bank, a shop — with personas, scenario scripts, XML/JSON and recording markers.',
  plugins: [industryData, personas, scenarios, formatter, recorder],
  config: {
    personas: {
      personas: [
        { key: 'maria', industry: 'finance', type: 'customers', id: '42', name: 'Maria Chen', hints: { sex: 'female', segment: 'premium', products: ['mortgage'] }, story: 'A premium customer with a mortgage whose current account runs into an overdraft.' },
        { key: 'delilah', industry: 'healthcare', type: 'patients', id: '1', story: 'A patient whose visit moves from arrival to discharge.' },
        { key: 'sam', industry: 'retail', type: 'customers', id: '4', story: 'A shopper whose order is shipped, delivered and partly returned.' },
      ],
    },
    scenarios: { scripts: [bankScenario, hospitalScenario, shopScenario] },
  },
  world: 'bank (Maria Chen, bank-overdraft), hospital (patient 1, hospital-visit), shop (customer 4, shop-order)',
});
