// The industry-data plugin (being built).
import { definePlugin, Type } from '@understudy/plugin-sdk';

export default definePlugin({ name: 'industry-data', version: '0.1.0', description: "Industry data generators (finance, healthcare, retail, and entities you describe), derived from (seed, type, id) so every entity is the same everywhere, and legally safe by construction.", config: Type.Object({}), register() {} });
