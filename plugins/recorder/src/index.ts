// The recorder plugin (being built).
import { definePlugin, Type } from '@understudy/plugin-sdk';

export default definePlugin({ name: 'recorder', version: '0.1.0', description: "Recording markers from scenario steps, events and annotations; WebVTT chapters and JSON exports; OBS Studio through obs-websocket v5.", config: Type.Object({}), register() {} });
