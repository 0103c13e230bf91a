// The stubs plugin's config: a WireMock root folder, inline mappings, the journal size.
import { Type, type Static } from '@understudy/plugin-sdk';

export const StubsConfigSchema = Type.Object(
  {
    root: Type.Optional(
      Type.String({
        description: "Folder holding mappings/ and __files/, like WireMock's --root-dir. Relative to the config file's folder.",
      }),
    ),
    mappings: Type.Array(Type.Object({}, { additionalProperties: true }), {
      default: [],
      description: 'WireMock mappings given inline, loaded after the files.',
    }),
    journal: Type.Object(
      {
        maxEntries: Type.Integer({ minimum: 0, default: 1000, description: 'Requests kept in the journal; 0 disables it. Older entries are dropped and counted.' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type StubsConfig = Static<typeof StubsConfigSchema>;
