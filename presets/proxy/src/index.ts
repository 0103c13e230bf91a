// The proxy preset: the learning proxy (proxy + learner + chaos for scoped faults) in front
// of the preset's own sample API (users, orders, products on port 4010), so
// `understudy start --preset proxy` has a "real" backend to learn from with no internet.
import chaos from '@understudy/plugin-chaos';
import learner from '@understudy/plugin-learner';
import proxy from '@understudy/plugin-proxy';
import { definePreset } from '@understudy/plugin-sdk';
import { sampleApi } from './sample-api/plugin.js';

export { sampleApi, SampleApiConfigSchema } from './sample-api/plugin.js';
export { SampleData, type Order, type Product, type User } from './sample-api/data.js';
export { buildServer } from './sample-api/server.js';

/** Where the sample API listens by default (and where the proxy forwards). */
export const SAMPLE_API_PORT = 4010;

export default definePreset({
  name: 'proxy',
  description: 'A learning proxy in front of its own sample API (users, orders, products): learn, then mock with one header, scoped chaos, OpenAPI export.',
  plugins: [learner, sampleApi, chaos, proxy],
  config: {
    sampleApi: { port: SAMPLE_API_PORT },
    proxy: { target: `http://127.0.0.1:${SAMPLE_API_PORT}` },
  },
  world: 'sample API on :4010 — users (integer ids, /users/me, /users/{id}/orders), products (uuid ids), orders (POST/GET/PUT/DELETE)',
});
