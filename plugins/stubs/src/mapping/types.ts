// WireMock's mapping JSON, as found in mappings/*.json and sent to /__admin/mappings.

import type { ConnectionFault } from '@understudy/plugin-sdk';

export type JsonObject = Record<string, unknown>;

export interface RequestPattern {
  method?: string;
  url?: string;
  urlPath?: string;
  urlPattern?: string;
  urlPathPattern?: string;
  urlPathTemplate?: string;
  pathParameters?: Record<string, JsonObject>;
  queryParameters?: Record<string, JsonObject>;
  headers?: Record<string, JsonObject>;
  cookies?: Record<string, JsonObject>;
  basicAuthCredentials?: { username: string; password: string };
  bodyPatterns?: JsonObject[];
}

export type DelayDistribution =
  | { type: 'uniform'; lower: number; upper: number }
  | { type: 'lognormal'; median: number; sigma: number };

export interface ResponseDefinition {
  status?: number;
  statusMessage?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  jsonBody?: unknown;
  base64Body?: string;
  bodyFileName?: string;
  fixedDelayMilliseconds?: number;
  delayDistribution?: DelayDistribution;
  fault?: ConnectionFault;
}

export interface StubMapping {
  id: string;
  uuid?: string;
  name?: string;
  priority?: number;
  request: RequestPattern;
  response: ResponseDefinition;
  scenarioName?: string;
  requiredScenarioState?: string;
  newScenarioState?: string;
  metadata?: JsonObject;
  persistent?: boolean;
}
