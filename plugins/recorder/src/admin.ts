// Control plane under /__admin/recorder: status (OBS or files, and why), markers and
// annotations, takes (list, start and stop by hand), exports (WebVTT chapters, JSON), and
// a retry of the OBS connection. Reads flush the event queue first (see intake.ts), so
// they show every event emitted before them. Bad input is a coded 4xx.
import { errorResponses as errors, documentedOnly, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { Intake } from './intake.js';
import type { MarkerKind } from './contract.js';
import { RecorderErrors } from './errors.js';
import type { ObsLink } from './obs.js';
import type { Annotation, Recorder } from './recorder.js';

const KINDS: MarkerKind[] = ['step', 'waypoint', 'jump', 'event', 'annotation'];
const Any = Type.Unknown();
const TakeQuery = Type.Object({ take: Type.Optional(Type.String({ description: 'Take id (take-1); default the latest take' })) });
const MarkersQuery = Type.Object({
  take: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String({ description: KINDS.join(' | ') })),
});
const AnnotationSchema = Type.Object(
  {
    text: Type.String({ minLength: 1, description: 'What happened; the first line is the chapter title' }),
    at: Type.Optional(Type.Number({ minimum: 0, description: 'Scenario ms the mark is for (a time the scenario has shown); default now' })),
    scenario: Type.Optional(Type.String({ description: 'Mark this run (default: the latest running take)' })),
    session: Type.Optional(Type.String({ description: 'Its session (default "default")' })),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String() });

/** Every problem of an annotation body with its path (the route checks it itself: documentedOnly). */
function annotationProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['(body): must be a JSON object { text, at?, scenario?, session? }'];
  const problems: string[] = [];
  for (const key of Object.keys(body)) if (!['text', 'at', 'scenario', 'session'].includes(key)) problems.push(`${key}: unknown property "${key}" (one of text, at, scenario, session)`);
  const b = body as Record<string, unknown>;
  if (b.text === undefined) problems.push('text: required');
  else if (typeof b.text !== 'string') problems.push('text: must be a string');
  if (b.at !== undefined && typeof b.at !== 'number') problems.push('at: must be a number of scenario ms');
  for (const k of ['scenario', 'session'] as const) if (b[k] !== undefined && typeof b[k] !== 'string') problems.push(`${k}: must be a string`);
  return problems;
}

export function adminRoutes(recorder: Recorder, intake: Intake, obs: ObsLink) {
  return async (app: AdminApp) => {
    app.addHook('onRequest', async () => intake.flush());

    app.get('/status', { schema: { summary: 'OBS or files, and why; store bounds and counters', response: { 200: Any } } }, async () => recorder.status());
    app.post('/obs/connect', { schema: { summary: 'Try to connect to OBS again; answers the status', response: { 200: Any } } }, async () => {
      await obs.connect();
      return recorder.status();
    });

    app.get<{ Querystring: { take?: string; kind?: string } }>(
      '/markers',
      { schema: { summary: 'Markers, oldest first (filter by take and kind)', querystring: MarkersQuery, response: { 200: Any, ...errors(400, 404) } } },
      async (req) => {
        const { take, kind } = req.query;
        if (kind !== undefined && !KINDS.includes(kind as MarkerKind)) throw new RecorderErrors.BAD_QUERY(`kind: must be one of ${KINDS.join(', ')}, got "${kind}"`);
        const status = recorder.status().markers;
        return { markers: recorder.markers({ take, kind: kind as MarkerKind | undefined }), count: status.count, dropped: status.dropped };
      },
    );
    app.post(
      '/markers',
      { schema: { summary: 'Annotate: mark now, or at a scenario time, with text', body: AnnotationSchema, response: { 201: Any, ...errors(400, 404, 409) } }, validatorCompiler: documentedOnly },
      async (req, reply) => {
        const problems = annotationProblems(req.body);
        if (problems.length) throw new RecorderErrors.INVALID(problems);
        return reply.code(201).send(recorder.annotate(req.body as Annotation));
      },
    );
    app.delete('/markers', { schema: { summary: 'Forget every marker (takes stay)', response: { 200: Type.Object({ removed: Type.Integer() }) } } }, async () => ({
      removed: recorder.clearMarkers(),
    }));

    app.get('/takes', { schema: { summary: 'Takes, oldest first', response: { 200: Any } } }, async () => ({ takes: recorder.listTakes(), active: recorder.status().takes.active }));
    app.post('/takes', { schema: { summary: 'Start a take by hand (OBS records it like a scenario run)', response: { 201: Any, ...errors(409) } } }, async (_req, reply) =>
      reply.code(201).send(recorder.startManualTake()),
    );
    app.get<{ Params: { id: string } }>('/takes/:id', { schema: { summary: 'One take', params: IdParams, response: { 200: Any, ...errors(404) } } }, async (req) => recorder.take(req.params.id));
    app.post<{ Params: { id: string } }>('/takes/:id/stop', { schema: { summary: 'End a take (its files are written)', params: IdParams, response: { 200: Any, ...errors(404, 409) } } }, async (req) => {
      const take = recorder.stopTake(req.params.id);
      await recorder.idle();
      return take;
    });

    app.get<{ Querystring: { take?: string } }>(
      '/chapters.vtt',
      { schema: { summary: 'WebVTT chapters of a take (default the latest)', querystring: TakeQuery, produces: ['text/vtt'], response: { 200: Type.String(), ...errors(404) } } },
      async (req, reply) => {
        const { take, vtt } = recorder.chapters(req.query.take);
        return reply.type('text/vtt; charset=utf-8').header('content-disposition', `inline; filename="${take.id}.vtt"`).send(vtt);
      },
    );
    app.get<{ Querystring: { take?: string } }>(
      '/markers.json',
      { schema: { summary: 'JSON export of a take: the take and its markers by offset', querystring: TakeQuery, response: { 200: Any, ...errors(404) } } },
      async (req, reply) => {
        const doc = recorder.exportJson(req.query.take);
        return reply.header('content-disposition', `inline; filename="${doc.take.id}.json"`).send(doc);
      },
    );
  };
}
