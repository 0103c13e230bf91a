// Control plane under /__admin/deploy: rollouts (list, one, start with POST or PUT and
// ?dryRun), the actions on a rollout (promote [--full], abort, retry, pause and resume,
// rollback to a revision) and its revision history. Start bodies are checked whole by the controller
// (every problem with its path, 400 US_DEPLOY_INVALID_ROLLOUT, nothing changes); action
// bodies are optional (curl -X POST works) and anything but their documented fields is a
// coded 400.
import { documentedOnly, errorResponses as errors, schemaErrorFormatter, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { Controller } from './controller.js';
import type { RolloutRequest } from './contract.js';
import { DeployErrors } from './errors.js';

const RolloutViewSchema = Type.Object({
  workload: Type.String(),
  service: Type.String(),
  phase: Type.String(),
  message: Type.String(),
  strategy: Type.String(),
  stable: Type.Object({ version: Type.String(), revision: Type.Integer() }),
  canary: Type.Optional(Type.Object({ version: Type.String(), revision: Type.Integer() })),
  currentStepIndex: Type.Optional(Type.Integer()),
  steps: Type.Optional(Type.Integer()),
  weight: Type.Number(),
  headerRoutes: Type.Record(Type.String(), Type.Unknown()),
  replicaSets: Type.Record(Type.String(), Type.Integer()),
  ready: Type.Record(Type.String(), Type.Integer()),
  pause: Type.Optional(Type.Object({ reason: Type.String(), since: Type.Number(), until: Type.Optional(Type.Number()) })),
  analysisRuns: Type.Array(Type.Unknown()),
  startedAt: Type.Optional(Type.Number()),
  updatedAt: Type.Number(),
});
const StartResultSchema = Type.Object({
  workload: Type.String(),
  dryRun: Type.Boolean(),
  revision: Type.Integer(),
  version: Type.String(),
  strategy: Type.String(),
  plan: Type.Array(Type.String()),
});
const RevisionSchema = Type.Object({
  revision: Type.Integer(),
  version: Type.String(),
  template: Type.Optional(Type.Unknown()),
  strategy: Type.String(),
  by: Type.String(),
  reason: Type.String(),
  startedAt: Type.Number(),
  finishedAt: Type.Optional(Type.Number()),
  outcome: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  rollbackOf: Type.Optional(Type.Integer()),
});
const WorkloadParams = Type.Object({ workload: Type.String() });
const DryRunQuery = Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

type FieldType = 'string' | 'boolean' | 'integer';

/** An action's optional body: absent, or an object of exactly these optional fields. */
function actionBody(body: unknown, fields: Record<string, FieldType>): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  const problems: string[] = [];
  if (typeof body !== 'object' || Array.isArray(body)) throw new DeployErrors.INVALID_REQUEST([`body: must be an object with optional ${Object.keys(fields).join(', ')} (or no body at all)`]);
  const out = body as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) {
    const type = fields[k];
    if (!type) problems.push(`${k}: unknown property (one of ${Object.keys(fields).join(', ')})`);
    else if (v !== undefined && (type === 'integer' ? !Number.isInteger(v) || (v as number) < 1 : typeof v !== type)) problems.push(`${k}: must be ${type === 'integer' ? 'an integer >= 1' : `a ${type}`}`);
  }
  if (problems.length) throw new DeployErrors.INVALID_REQUEST(problems);
  return out;
}

export function adminRoutes(controller: Controller) {
  return async (app: AdminApp) => {
    const bad = { schemaErrorFormatter: schemaErrorFormatter('US_DEPLOY_INVALID_REQUEST') };
    app.get('/rollouts', { schema: { summary: 'Every workload with its rollout status', response: { 200: Type.Object({ rollouts: Type.Array(RolloutViewSchema) }) } } }, async () => ({
      rollouts: controller.list(),
    }));
    app.get<{ Params: { workload: string } }>(
      '/rollouts/:workload',
      { schema: { summary: "One workload's rollout status", params: WorkloadParams, response: { 200: RolloutViewSchema, ...errors(404) } } },
      async (req) => controller.get(req.params.workload),
    );
    const start = (body: unknown, dryRun: boolean, reply: { code(n: number): unknown }) => {
      const result = controller.start(body as RolloutRequest, { dryRun });
      if (!dryRun) reply.code(201);
      return result;
    };
    app.post<{ Querystring: { dryRun?: boolean }; Body: unknown }>(
      '/rollouts',
      {
        schema: {
          summary: 'Start a rollout: { workload, version, strategy?, template?, minReadySeconds?, progressDeadlineSeconds?, bakeSeconds?, onFailure?, failureExits?, by?, reason? }; ?dryRun=true returns the plan only',
          querystring: DryRunQuery,
          body: Type.Unknown(),
          response: { 200: StartResultSchema, 201: StartResultSchema, ...errors(400, 404, 409) },
        },
        ...bad,
      },
      async (req, reply) => start(req.body, req.query.dryRun === true, reply),
    );
    app.put<{ Params: { workload: string }; Querystring: { dryRun?: boolean }; Body: unknown }>(
      '/rollouts/:workload',
      {
        schema: {
          summary: 'Start a rollout of this workload (the body as for POST /rollouts; its workload, if given, must be this one)',
          params: WorkloadParams,
          querystring: DryRunQuery,
          body: Type.Unknown(),
          response: { 200: StartResultSchema, 201: StartResultSchema, ...errors(400, 404, 409) },
        },
        ...bad,
      },
      async (req, reply) => {
        const body = req.body;
        if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
          const named = (body as { workload?: unknown }).workload;
          if (named !== undefined && named !== req.params.workload) throw new DeployErrors.INVALID_ROLLOUT(req.params.workload, [`workload: "${String(named)}" differs from the path's "${req.params.workload}"`]);
          return start({ ...body, workload: req.params.workload }, req.query.dryRun === true, reply);
        }
        return start(body, req.query.dryRun === true, reply);
      },
    );
    const action = (path: string, summary: string, fields: Record<string, FieldType>, run: (workload: string, body: Record<string, unknown>, query: Record<string, unknown>) => unknown, response: object = RolloutViewSchema) =>
      app.post<{ Params: { workload: string }; Querystring: { full?: boolean }; Body: unknown }>(
        `/rollouts/:workload/${path}`,
        {
          schema: {
            summary,
            params: WorkloadParams,
            querystring: path === 'promote' ? Type.Object({ full: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) : Type.Object({}, { additionalProperties: false }),
            body: Type.Object(Object.fromEntries(Object.entries(fields).map(([k, t]) => [k, Type.Optional(t === 'string' ? Type.String() : t === 'boolean' ? Type.Boolean() : Type.Integer({ minimum: 1 }))])), { additionalProperties: false }),
            response: { 200: response, ...errors(400, 404, 409) },
          },
          validatorCompiler: documentedOnly,
          ...bad,
        },
        async (req) => run(req.params.workload, actionBody(req.body, fields), req.query as Record<string, unknown>),
      );
    action('promote', 'Promote: past the current step or pause; `full` (body or ?full=true) skips every remaining step and analysis', { full: 'boolean', by: 'string' }, (w, b, q) =>
      controller.promote(w, { full: b.full === true || q.full === true || q.full === 'true', by: b.by as string | undefined }),
    );
    action('abort', 'Abort: the stable takes all the traffic back (Aborted; RolledBack after the promotion)', { reason: 'string', by: 'string' }, (w, b) =>
      controller.abort(w, { reason: b.reason as string | undefined, by: b.by as string | undefined }),
    );
    action('pause', 'Pause by hand (Argo\'s `kubectl argo rollouts pause`): nothing moves on until resume or promote; a failure still fails it', { reason: 'string', by: 'string' }, (w, b) =>
      controller.pause(w, { reason: b.reason as string | undefined, by: b.by as string | undefined }),
    );
    action('resume', 'Lift a manual pause: the rollout goes on from where it was held (promote also lifts it, and moves past the current step)', { by: 'string' }, (w, b) => controller.resume(w, { by: b.by as string | undefined }));
    action('retry', 'Retry an Aborted or Degraded rollout from its first step', { by: 'string' }, (w, b) => controller.retry(w, { by: b.by as string | undefined }));
    action(
      'rollback',
      'Roll back to an earlier revision (default: the stable before this one), skipping steps and analysis',
      { revision: 'integer', by: 'string', reason: 'string' },
      (w, b) => controller.rollback(w, { revision: b.revision as number | undefined, by: b.by as string | undefined, reason: b.reason as string | undefined }),
      StartResultSchema,
    );
    app.get<{ Params: { workload: string } }>(
      '/rollouts/:workload/history',
      { schema: { summary: 'Revisions, newest first (bounded: history.count, history.bytes)', params: WorkloadParams, response: { 200: Type.Object({ workload: Type.String(), revisions: Type.Array(RevisionSchema) }), ...errors(404) } } },
      async (req) => ({ workload: req.params.workload, revisions: controller.history(req.params.workload) }),
    );
  };
}
