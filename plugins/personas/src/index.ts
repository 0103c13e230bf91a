// The personas plugin (being built).
import { definePlugin, Type } from '@understudy/plugin-sdk';

export default definePlugin({ name: 'personas', version: '0.1.0', description: "Hero personas, isolated demo sessions persisted in SQLite, and REST endpoints per industry with pagination, filtering, sorting and exports.", config: Type.Object({}), register() {} });
