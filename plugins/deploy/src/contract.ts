// The deploy plugin's contract: the rollout spec users write (Argo Rollouts' field names:
// strategy.rollingUpdate / blueGreen / canary, steps, analysis references), the status
// and history it shows, the `deployments` service other plugins call (chaos's "deploy a
// bad version"), the events it emits, and the analysis runner interface that
// `analysis.ts` implements (metric queries and the baseline-vs-canary judge). Other
// plugins import these types only.
import type { Clock, PluginEvents, Random } from '@understudy/plugin-sdk';
import type { Cluster } from '@understudy/plugin-cluster';

// ------------------------------------------------------------------ analysis (implemented by analysis.ts)

/** Argo's AnalysisRun phases; Pending and Running are not terminal. */
export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** Where in a rollout an analysis runs. */
export type AnalysisKind = 'step' | 'background' | 'prePromotion' | 'postPromotion';

/** Argo's `RolloutAnalysis`: templates merged into one run, with arguments. */
export interface AnalysisRef {
  templates: Array<{ templateName: string }>;
  args?: Array<{ name: string; value: string }>;
}

/** What the deploy plugin tells a run about the rollout it judges. */
export interface AnalysisRunContext {
  /** Unique per run: `<workload>-<revision>-<kind>[-<stepIndex>]` (and `-<n>` after a retry). */
  name: string;
  workload: string;
  /** The mesh service of the workload (observability's `window(service, …, { version })`). */
  service: string;
  kind: AnalysisKind;
  /** Canary step index of a `step` analysis. */
  stepIndex?: number;
  /** The version serving now (the baseline) and the one rolled out (the canary / preview). */
  stable: { version: string; revision: number };
  canary: { version: string; revision: number };
  /**
   * The reference's args, plus these always set (a reference's own value wins):
   * `workload`, `service`, `stable-version`, `canary-version`.
   */
  args: Record<string, string>;
  /** Kernel clock time the run starts at. */
  startedAt: number;
}

/** A run as the rollout status and the admin API show it. */
export interface AnalysisRunView {
  name: string;
  kind: AnalysisKind;
  templates: string[];
  phase: AnalysisPhase;
  /** Why it ended as it did, in words (`errorRate 0.31 > 0.05 three times (failureLimit 2)`). */
  message?: string;
  startedAt: number;
  finishedAt?: number;
  /** The runner's own detail (measurements per metric); shown as it is. */
  metrics?: unknown[];
}

export interface AnalysisRun {
  readonly name: string;
  view(): AnalysisRunView;
  /**
   * Stop the run (the rollout was promoted, aborted or moved on): its timers are cleared,
   * its phase stays as it was (Argo marks it terminated), `onDone` is never called after this.
   * Idempotent.
   */
  terminate(): void;
}

export interface AnalysisRunner {
  /**
   * Problems of one template as written in config (`plugins.deploy.analysisTemplates.<name>`)
   * or in an admin body, each line starting with `path` (`<path>.metrics[0].interval: …`).
   * Empty: valid. Called at startup (all problems fail startup) and for each admin write.
   */
  validate(template: unknown, path: string): string[];
  /**
   * Start a run over these templates (already validated; Argo merges the metrics of the
   * templates of one reference into one run). The run measures on the kernel clock
   * (`deps.clock` timers) and calls `onDone` exactly once, with a terminal phase, from a
   * timer callback — never synchronously inside `start` — unless terminated first.
   * Argo's rules for the phase: Failed when a metric's failures exceed `failureLimit`,
   * Inconclusive past `inconclusiveLimit`, Error past `consecutiveErrorLimit`, else Successful
   * once every metric's `count` is done (a metric without `count` runs until terminated:
   * a background analysis).
   */
  start(templates: ReadonlyArray<{ name: string; template: unknown }>, context: AnalysisRunContext, onDone: (run: AnalysisRunView) => void): AnalysisRun;
}

/** What the deploy plugin hands to `createAnalysisRunner(deps)` (exported by analysis.ts). */
export interface AnalysisDeps {
  clock: Clock;
  events: PluginEvents;
  /** The deploy plugin's stream `analysis`, forked: draws for the runs. */
  random: Random;
  cluster: Cluster;
  /** The observability service when that plugin is loaded (resolved at start, so a function). */
  observability: () => import('@understudy/plugin-observability').Observability | undefined;
}

// ------------------------------------------------------------------ rollout spec

/** An int, or a percentage of replicas as `"25%"` (Kubernetes' IntOrString). */
export type IntOrPercent = number | string;

/** Argo's duration: seconds as a number, or a string `"30s"`, `"5m"`, `"1h"`, `"500ms"`. */
export type Duration = number | string;

/** Kubernetes' RollingUpdate deployment strategy. */
export interface RollingUpdateStrategy {
  /** Instances above `replicas` during the update; a percentage rounds up (default `25%`). */
  maxSurge?: IntOrPercent;
  /** Instances below `replicas` during the update; a percentage rounds down (default `25%`). */
  maxUnavailable?: IntOrPercent;
}

/** A string match (Argo's `StringMatch`): exactly one of the three. */
export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

/** A request matching this always goes to the canary (A/B): a header (Argo) or a cookie. */
export type RouteMatch = { headerName: string; headerValue: StringMatch } | { cookieName: string; cookieValue: StringMatch };

export type CanaryStep =
  | { setWeight: number }
  /** No duration: paused until promoted. */
  | { pause: { duration?: Duration } }
  | { analysis: AnalysisRef }
  /** Argo's header route: `match` routes matching requests to the canary; no `match` removes the route `name`. */
  | { setHeaderRoute: { name: string; match?: RouteMatch[] } };

export interface CanaryStrategy {
  steps?: CanaryStep[];
  /** A background analysis for the whole rollout, from `startingStep` (Argo). */
  analysis?: AnalysisRef & { startingStep?: number };
  /** Requests matching any of these go to the canary for the whole rollout (Flagger's A/B `match`). */
  match?: RouteMatch[];
  /** After the promotion the previous stable keeps running this long (default 30). */
  scaleDownDelaySeconds?: number;
  /** After an abort the canary keeps running this long before it is scaled down (default 30, Argo). */
  abortScaleDownDelaySeconds?: number;
  /** Runs after the promotion, during the bake window; a failure rolls back (beyond Argo). */
  postPromotionAnalysis?: AnalysisRef;
}

export interface BlueGreenStrategy {
  /** Names of the two sets, as Argo's services (shown in the status; both are the workload's mesh service). */
  activeService?: string;
  previewService?: string;
  /** Instances of the preview before promotion (default: `replicas`). */
  previewReplicaCount?: number;
  /** Requests matching any of these go to the preview set before promotion (the preview service). */
  previewMatch?: RouteMatch[];
  /** Promote once the preview is Ready (and pre-promotion analysis passed); false: pause until promoted (default true). */
  autoPromotionEnabled?: boolean;
  /** Promote this long after the preview became Ready, unless promoted before. */
  autoPromotionSeconds?: number;
  /** After promotion the previous active set keeps running this long (default 30). */
  scaleDownDelaySeconds?: number;
  /** After an abort the preview keeps running this long (default 30). */
  abortScaleDownDelaySeconds?: number;
  prePromotionAnalysis?: AnalysisRef;
  postPromotionAnalysis?: AnalysisRef;
}

export type Strategy = { rollingUpdate: RollingUpdateStrategy } | { blueGreen: BlueGreenStrategy } | { canary: CanaryStrategy };
export type StrategyName = 'rollingUpdate' | 'blueGreen' | 'canary';

/** How a workload rolls out: config `plugins.deploy.rollouts.<workload>`, or a rollout request's fields. */
export interface RolloutSpec {
  strategy: Strategy;
  /** A new instance counts as available once Ready this long (default 0). */
  minReadySeconds: number;
  /** No progress for this long while not paused: the rollout failed (default 600). */
  progressDeadlineSeconds: number;
  /** After the promotion, this long the new version can still be rolled back (default 0). */
  bakeSeconds: number;
  /** What a failure does: `rollback` (abort, the stable keeps or takes back the traffic) or `freeze` (hold everything where it is, Degraded, and alert). */
  onFailure: 'rollback' | 'freeze';
  /** Exits (crash, OOM) of the new version's instances that fail its readiness (default 3). */
  failureExits: number;
}

/** A rollout request (admin POST/PUT, `deployments.start`). */
export interface RolloutRequest {
  workload: string;
  version: string;
  /** A partial cluster workload spec the new revision brings (e.g. `versions: { "2.0.0": { … } }`, `resources`); not `version` or `replicas`. */
  template?: Record<string, unknown>;
  /** Over the workload's configured rollout spec. */
  strategy?: Strategy;
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  bakeSeconds?: number;
  onFailure?: 'rollback' | 'freeze';
  failureExits?: number;
  /** Who asks, and why (kept in the revision history). */
  by?: string;
  reason?: string;
}

// ------------------------------------------------------------------ status and history

export type RolloutPhase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded' | 'Aborted' | 'RolledBack';

export interface RolloutView {
  workload: string;
  service: string;
  phase: RolloutPhase;
  /** Why it is in its phase, in words. */
  message: string;
  strategy: StrategyName;
  /** The revision serving as stable, and the one being rolled out (none when Healthy). */
  stable: { version: string; revision: number };
  canary?: { version: string; revision: number };
  /** Canary: the current step (steps.length: all done); undefined for the other strategies. */
  currentStepIndex?: number;
  steps?: number;
  /** Share of traffic (0..100) the canary / preview gets now. */
  weight: number;
  /** Active A/B routes by name. */
  headerRoutes: Record<string, RouteMatch[]>;
  /** Replicas per version as the deploy plugin asked the cluster. */
  replicaSets: Record<string, number>;
  /** Ready instances per version. */
  ready: Record<string, number>;
  pause?: { reason: string; since: number; until?: number };
  analysisRuns: AnalysisRunView[];
  startedAt?: number;
  updatedAt: number;
}

export interface RevisionEntry {
  revision: number;
  version: string;
  /** The partial workload spec it brought. */
  template?: Record<string, unknown>;
  strategy: StrategyName;
  /** Who started it (`api`, `config`, `chaos`, a user name) and why. */
  by: string;
  reason: string;
  startedAt: number;
  finishedAt?: number;
  /** How it ended (`Healthy`, `Aborted`, `RolledBack`, …); undefined while it runs. */
  outcome?: RolloutPhase;
  /** The last message (why it was aborted or rolled back). */
  message?: string;
  /** A rollback: the revision it rolled back from. */
  rollbackOf?: number;
}

export interface StartResult {
  workload: string;
  dryRun: boolean;
  revision: number;
  version: string;
  strategy: StrategyName;
  /** What will happen, in words. */
  plan: string[];
}

/** The `deployments` service. Every method throws a coded error on bad input (nothing changes). */
export interface Deployments {
  list(): RolloutView[];
  get(workload: string): RolloutView;
  history(workload: string): RevisionEntry[];
  start(request: RolloutRequest, options?: { dryRun?: boolean }): StartResult;
  promote(workload: string, options?: { full?: boolean; by?: string }): RolloutView;
  abort(workload: string, options?: { reason?: string; by?: string }): RolloutView;
  retry(workload: string, options?: { by?: string }): RolloutView;
  /** Pause by hand (Argo's `kubectl argo rollouts pause`): held where it is until resume or promote. */
  pause(workload: string, options?: { reason?: string; by?: string }): RolloutView;
  /** Lift a manual pause: the rollout goes on from where it was held. */
  resume(workload: string, options?: { by?: string }): RolloutView;
  /** Roll back to an earlier revision (default: the one before the stable), skipping steps and analysis. */
  rollback(workload: string, options?: { revision?: number; by?: string; reason?: string }): StartResult;
}

// ------------------------------------------------------------------ events

export interface DeployEvent {
  workload: string;
  revision: number;
  version: string;
  phase: RolloutPhase;
  /** The phase before, when the event changed it. */
  from?: RolloutPhase;
  message: string;
  stepIndex?: number;
  weight?: number;
  by?: string;
}

export interface DeployAnalysisEvent {
  workload: string;
  revision: number;
  run: string;
  kind: AnalysisKind;
  phase: AnalysisPhase;
  message?: string;
}

declare module '@understudy/kernel' {
  interface Services {
    deployments: Deployments;
  }
  interface EventMap {
    'deploy.started': DeployEvent;
    'deploy.stepChanged': DeployEvent;
    'deploy.weightChanged': DeployEvent;
    'deploy.paused': DeployEvent;
    'deploy.resumed': DeployEvent;
    'deploy.promoted': DeployEvent;
    'deploy.completed': DeployEvent;
    'deploy.aborted': DeployEvent;
    'deploy.rolledBack': DeployEvent;
    'deploy.degraded': DeployEvent;
    'deploy.retried': DeployEvent;
    'deploy.analysisStarted': DeployAnalysisEvent;
    'deploy.analysisCompleted': DeployAnalysisEvent;
  }
}

/** Convenience for implementers (analysis.ts): the factory's type. */
export type CreateAnalysisRunner = (deps: AnalysisDeps) => AnalysisRunner;
