// The proxy preset (being built).
import { definePreset } from '@understudy/plugin-sdk';

export default definePreset({ name: 'proxy', description: "A learning proxy in front of its own sample API (users, orders, products): learn, then mock with one header, scoped chaos, OpenAPI export.", plugins: [] });
