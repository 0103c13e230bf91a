// Control plane under /__admin/formatter: what the formatter did (counters) and the
// settings it runs with. Read-only: the formatter's settings come from config.
import { Type, type AdminApp } from '@understudy/plugin-sdk';
import type { FormatterConfig } from './config.js';
import type { FormatterStats } from './shape.js';

const Count = Type.Integer({ minimum: 0 });

export function adminRoutes(stats: FormatterStats, config: FormatterConfig) {
  return async (app: AdminApp) => {
    app.get(
      '/stats',
      {
        schema: {
          summary: 'Responses shaped, by representation, and responses refused or left alone',
          response: {
            200: Type.Object({
              json: Count,
              xml: Count,
              pretty: Count,
              notAcceptable: Type.Integer({ minimum: 0, description: '406 US_FORMATTER_NOT_ACCEPTABLE answers' }),
              badRequest: Type.Integer({ minimum: 0, description: '400 answers for a bad ?format= or ?pretty=' }),
              notJson: Type.Integer({ minimum: 0, description: 'In scope, not JSON: left alone' }),
              invalidJson: Type.Integer({ minimum: 0, description: 'Said JSON but did not parse: left alone' }),
            }),
          },
        },
      },
      async () => ({ ...stats }),
    );
    app.get('/config', { schema: { summary: 'The settings the formatter runs with (defaults applied)', response: { 200: Type.Unknown() } } }, async () => config);
  };
}
