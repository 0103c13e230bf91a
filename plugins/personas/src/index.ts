// The personas plugin (being built): hero personas, demo sessions persisted in SQLite,
// REST endpoints per industry and exports. Its contract (the `sessions` service and the
// `session.*` events) is in contract.ts.
import { definePlugin, Type } from '@understudy/plugin-sdk';

export type * from './contract.js';

export default definePlugin({
  name: 'personas',
  version: '0.1.0',
  description: 'Hero personas, isolated demo sessions persisted in SQLite, and REST endpoints per industry with pagination, filtering, sorting and exports.',
  config: Type.Object({}),
  register() {},
});
