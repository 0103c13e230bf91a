// The scenarios plugin (being built).
import { definePlugin, Type } from '@understudy/plugin-sdk';

export default definePlugin({ name: 'scenarios', version: '0.1.0', description: "Timed scenario scripts (YAML) on the kernel clock: data progressions, waypoints, controls over REST and WebSocket.", config: Type.Object({}), register() {} });
