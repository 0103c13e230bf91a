// The basic preset: plain HTTP mocking with the stubs plugin and a small sample world.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePreset } from '@understudy/plugin-sdk';
import stubsPlugin from '@understudy/plugin-stubs';

/** world/ sits next to package.json, one level above both src/ and dist/. */
export const worldDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'world');

export default definePreset({
  name: 'basic',
  description: 'Plain HTTP mocking: WireMock-compatible stubs with a few sample endpoints.',
  plugins: [stubsPlugin],
  config: { stubs: { root: worldDir } },
  world: 'a few sample endpoints: /hello, a users API, orders, an order-status scenario and a CSV report',
});
