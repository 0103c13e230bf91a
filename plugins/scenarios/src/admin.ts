// Control plane under /__admin/scenarios: scripts (list, read with its timeline, PUT to load
// or replace, DELETE, validate) and the controls of a run, each the same command the
// WebSocket takes (commands.ts), with the scenario from the URL and the rest from the body.
import { documentedOnly, errorResponses as errors, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { CommandName } from './commands.js';
import type { ScenarioService } from './service.js';

const Name = Type.Object({ name: Type.String() });
const Any = Type.Unknown();
const SessionQuery = Type.Object({ session: Type.Optional(Type.String()) });

const StepSchema = Type.Object(
  {
    id: Type.Optional(Type.String()),
    at: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'Scenario time: "90s", "1m30s", "500ms" or ms' })),
    after: Type.Optional(Type.String({ description: 'Step id: runs when that step completes (a progression at its end), plus delay' })),
    on: Type.Optional(Type.String({ description: 'Event type: runs when it is emitted while the scenario runs, plus delay' })),
    where: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'With on: event data fields to match' })),
    delay: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    requires: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    waypoint: Type.Optional(Type.String()),
    narrative: Type.Optional(Type.String()),
    set: Type.Optional(Type.Object({ entity: Type.String({ description: 'industry/plural/id' }), changes: Type.Record(Type.String(), Type.Unknown()) })),
    progress: Type.Optional(
      Type.Object({
        entity: Type.String(),
        field: Type.String({ description: 'Dotted path, e.g. balance.amount' }),
        to: Type.Number(),
        from: Type.Optional(Type.Number()),
        over: Type.Union([Type.String(), Type.Number()]),
        every: Type.Optional(Type.Union([Type.String(), Type.Number()])),
        easing: Type.Optional(Type.String({ description: 'linear, ease, ease-in, ease-out, ease-in-out, step' })),
        decimals: Type.Optional(Type.Integer()),
        with: Type.Optional(Type.Array(Type.Object({ field: Type.String(), scale: Type.Optional(Type.Number()) }), { description: 'Fields that move with the value, each by scale × its change' })),
      }),
    ),
    emit: Type.Optional(Type.Object({ type: Type.String(), data: Type.Optional(Type.Unknown()) })),
  },
  { additionalProperties: false },
);

/** What PUT and validate take: a script object, or `{ "yaml": "<the script as YAML>" }`. */
export const ScriptBody = Type.Union([
  Type.Object({ name: Type.Optional(Type.String()), description: Type.Optional(Type.String()), session: Type.Optional(Type.String()), steps: Type.Array(StepSchema) }),
  Type.Object({ yaml: Type.String() }),
]);

const CONTROLS: Array<{ command: CommandName; summary: string; body: ReturnType<typeof Type.Object> }> = [
  { command: 'start', summary: 'Start a run (a snapshot of the session is taken for rewinds)', body: Type.Object({ session: Type.Optional(Type.String()), speed: Type.Optional(Type.Number()) }) },
  { command: 'pause', summary: 'Pause a run', body: Type.Object({ session: Type.Optional(Type.String()) }) },
  { command: 'resume', summary: 'Resume a paused run', body: Type.Object({ session: Type.Optional(Type.String()) }) },
  { command: 'stop', summary: 'End a run where it stands', body: Type.Object({ session: Type.Optional(Type.String()) }) },
  { command: 'jump', summary: 'Jump to a waypoint (every earlier step applied; starts the run, paused, when it was not started)', body: Type.Object({ session: Type.Optional(Type.String()), waypoint: Type.String() }) },
  { command: 'rewind', summary: 'Rewind: restore the start snapshot and replay up to `to` (default 0)', body: Type.Object({ session: Type.Optional(Type.String()), to: Type.Optional(Type.Union([Type.String(), Type.Number()])) }) },
  { command: 'speed', summary: 'Change the speed (0.5 to 100; 1 = real time)', body: Type.Object({ session: Type.Optional(Type.String()), speed: Type.Number() }) },
];

export function adminRoutes(service: ScenarioService) {
  return async (app: AdminApp) => {
    app.get('/', { schema: { summary: 'Loaded scenario scripts', response: { 200: Type.Object({ scenarios: Type.Array(Any) }) } } }, async () => ({ scenarios: service.list() }));
    app.get('/runs', { schema: { summary: 'Every run (one per scenario and session) with its state', response: { 200: Type.Object({ runs: Type.Array(Any) }) } } }, async () => ({ runs: service.allRuns() }));
    app.post(
      '/validate',
      { schema: { summary: 'Validate a script without loading it: every problem with its path, or the timeline', body: ScriptBody, response: { 200: Any } }, validatorCompiler: documentedOnly },
      async (req) => service.validate(req.body),
    );
    app.get<{ Params: { name: string } }>('/:name', { schema: { summary: 'One script: its timeline (anchors, times, tie ranks) and runs', params: Name, response: { 200: Any, ...errors(404) } } }, async (req) =>
      service.detail(req.params.name),
    );
    app.put<{ Params: { name: string } }>(
      '/:name',
      { schema: { summary: 'Load or replace a script (JSON, or { yaml }); refused while it runs', params: Name, body: ScriptBody, response: { 200: Any, 201: Any, ...errors(400, 404, 409) } }, validatorCompiler: documentedOnly },
      async (req, reply) => {
        const { summary, created } = service.load(req.body, 'api', { urlName: req.params.name });
        return reply.code(created ? 201 : 200).send(summary);
      },
    );
    app.delete<{ Params: { name: string } }>('/:name', { schema: { summary: 'Delete a script (refused while it runs)', params: Name, response: { 200: Type.Object({ removed: Type.String() }), ...errors(404, 409) } } }, async (req) => {
      service.remove(req.params.name);
      return { removed: req.params.name };
    });
    app.get<{ Params: { name: string }; Querystring: { session?: string } }>(
      '/:name/status',
      { schema: { summary: 'State of a run (idle when never started)', params: Name, querystring: SessionQuery, response: { 200: Any, ...errors(404) } } },
      async (req) => service.execute({ command: 'status', scenario: req.params.name, ...(req.query.session !== undefined && { session: req.query.session }) }),
    );
    for (const control of CONTROLS) {
      app.post<{ Params: { name: string }; Body: Record<string, unknown> | undefined }>(
        `/:name/${control.command}`,
        { schema: { summary: control.summary, params: Name, body: control.body, response: { 200: Any, ...errors(400, 404, 409) } }, validatorCompiler: documentedOnly },
        async (req) => {
          const body = req.body ?? {};
          if (typeof body !== 'object' || Array.isArray(body)) return service.execute({ command: control.command, scenario: req.params.name, body });
          return service.execute({ ...body, command: control.command, scenario: req.params.name });
        },
      );
    }
  };
}
