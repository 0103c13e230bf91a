// The recorder's config: which events become markers, the store's bounds, the files
// written at the end of each take, and OBS Studio (obs-websocket v5). Defaults make
// `recorder: {}` record scenario steps and waypoints to files, with OBS off.
import { Type, type Static } from '@understudy/plugin-sdk';

const EventRule = Type.Union([
  Type.String({ minLength: 1, description: 'An event type, e.g. breaker.opened; the marker is titled with the type.' }),
  Type.Object(
    {
      type: Type.String({ minLength: 1 }),
      title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Chapter title; {field} and {a.b} are replaced from the event data.' })),
    },
    { additionalProperties: false },
  ),
]);

export const RecorderConfigSchema = Type.Object(
  {
    scenarioSteps: Type.Boolean({ default: true, description: 'A marker at every scenario step (scenario.step), titled by its waypoint, else its step id.' }),
    replayedSteps: Type.Boolean({ default: false, description: 'Also mark steps replayed by a jump or a rewind (they happen at one instant; the jump has its own marker).' }),
    events: Type.Array(EventRule, { default: [], description: 'Other event types that become markers.' }),
    maxMarkers: Type.Integer({ minimum: 1, default: 10_000, description: 'Markers kept (oldest dropped, counted).' }),
    maxBytes: Type.Integer({ minimum: 1024, default: 4 * 1024 * 1024, description: 'Bytes of markers kept, as their JSON length.' }),
    maxTakes: Type.Integer({ minimum: 1, default: 100, description: 'Takes (recordings) kept.' }),
    maxTextLength: Type.Integer({ minimum: 1, maximum: 10_000, default: 500, description: 'Longest annotation text; event titles are cut to 200.' }),
    maxPending: Type.Integer({ minimum: 1, default: 10_000, description: 'Events waiting to be turned into markers (they are handled off the serving path, on the next turn of the event loop).' }),
    files: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Write <take>.vtt (WebVTT chapters) and <take>.json (markers) when a take ends.' }),
        dir: Type.String({ minLength: 1, default: '.understudy/recordings', description: 'Folder, relative to the config file.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    obs: Type.Optional(
      Type.Object(
        {
          url: Type.String({ pattern: '^wss?://', default: 'ws://127.0.0.1:4455', description: 'obs-websocket v5 server (OBS: Tools → WebSocket Server Settings).' }),
          password: Type.Optional(Type.String({ writeOnly: true, description: 'Server password; never echoed.' })),
          record: Type.Boolean({ default: true, description: 'StartRecord when a take starts, StopRecord when the last one ends.' }),
          chapters: Type.Boolean({ default: true, description: 'CreateRecordChapter at each marker (OBS 30.2+, Hybrid MP4).' }),
          connectTimeoutMs: Type.Integer({ minimum: 1, default: 5000, description: 'Kernel clock ms for Hello/Identify.' }),
          requestTimeoutMs: Type.Integer({ minimum: 1, default: 5000, description: 'Kernel clock ms for one request.' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RecorderConfig = Static<typeof RecorderConfigSchema>;
export type ObsConfig = NonNullable<RecorderConfig['obs']>;
