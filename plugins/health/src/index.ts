// The health plugin (being built; see README.md).
import { definePlugin, Type } from '@understudy/plugin-sdk';

export type * from './contract.js';

export default definePlugin({
  name: 'health',
  version: '0.1.0',
  description: 'work in progress',
  config: Type.Object({}),
  register() {},
});
