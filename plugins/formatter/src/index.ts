// The formatter plugin (being built).
import { definePlugin, Type } from '@understudy/plugin-sdk';

export default definePlugin({ name: 'formatter', version: '0.1.0', description: "Beautiful responses at the Shape stage: JSON or XML by content negotiation, pretty printing, money and dates formatted consistently.", config: Type.Object({}), register() {} });
