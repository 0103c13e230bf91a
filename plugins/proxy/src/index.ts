// The proxy plugin (being built).
import { definePlugin, Type } from '@understudy/plugin-sdk';

export default definePlugin({ name: 'proxy', version: '0.1.0', description: "A learning reverse proxy in front of a real API: forwards with keep-alive pools, feeds the learner off the hot path, and answers from what was learned on request, per endpoint, or when the upstream fails.", config: Type.Object({}), register() {} });
