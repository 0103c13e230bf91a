// The learner plugin (being built).
import { definePlugin, Type } from '@understudy/plugin-sdk';

export default definePlugin({ name: 'learner', version: '0.1.0', description: "Learns each endpoint of a real API from traffic — path templates, latency distributions, status mix, JSON Schema — stores it (SQLite or PostgreSQL), synthesizes realistic mocks and exports OpenAPI, WireMock and Hoverfly.", config: Type.Object({}), register() {} });
