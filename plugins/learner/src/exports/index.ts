// Exports of learned endpoints to other tools: OpenAPI 3.1, WireMock mappings (also loadable
// by our stubs plugin), Hoverfly simulation v5. Pure functions of the models.
export { toOpenApi, type OpenApiExportOptions } from './openapi.js';
export { toWireMock, type WireMockExport, type WireMockExportOptions, type WireMockMapping } from './wiremock.js';
export { toHoverfly, type HoverflyExportOptions, type HoverflyPair, type HoverflySimulation } from './hoverfly.js';
export { stableUuid, PARAM_PATTERNS } from './shared.js';
