// The stubs plugin's config: a WireMock root folder, inline mappings, how many mappings
// the store may hold, and the journal's bounds (entries, total bytes, bytes per body).
import { Type, type Static } from '@understudy/plugin-sdk';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Defaults of the bounds, also quoted in the README. */
export const DEFAULT_MAX_MAPPINGS = 10_000;
export const DEFAULT_JOURNAL_MAX_BYTES = 16 * MiB;
export const DEFAULT_JOURNAL_MAX_BODY_BYTES = 64 * KiB;

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
    maxMappings: Type.Integer({
      minimum: 1,
      default: DEFAULT_MAX_MAPPINGS,
      description: 'Most mappings the store holds (files, config and API together); adding past it is refused with 409 US_STUBS_LIMIT_REACHED.',
    }),
    journal: Type.Object(
      {
        maxEntries: Type.Integer({ minimum: 0, default: 1000, description: 'Requests kept in the journal; 0 disables it. Older entries are dropped and counted.' }),
        maxBytes: Type.Integer({
          minimum: KiB,
          default: DEFAULT_JOURNAL_MAX_BYTES,
          description: 'Estimated bytes the journal may hold in all; older entries are dropped (and counted) to stay under it.',
        }),
        maxBodyBytes: Type.Integer({
          minimum: 0,
          default: DEFAULT_JOURNAL_MAX_BODY_BYTES,
          description: "A request body longer than this (UTF-8 bytes) is kept cut to this length, marked bodyTruncated; matching still sees the whole body.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type StubsConfig = Static<typeof StubsConfigSchema>;
