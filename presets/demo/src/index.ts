// The demo preset (being built).
import { definePreset } from '@understudy/plugin-sdk';

export default definePreset({ name: 'demo', description: "Three ready demos — a hospital, a bank, a shop — with personas, scenario scripts, XML/JSON and recording markers.", plugins: [] });
