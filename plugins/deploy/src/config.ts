// The deploy plugin's config, and the checks of a rollout spec (Argo's field names) that
// config and admin requests share: every problem with its full path, so an invalid spec
// fails startup or is refused (400) whole. `resolveSpec` turns a valid partial spec, over
// the defaults, into the RolloutSpec the controller keeps and the MachineSpec the state
// machine reads.
import { Type, type Static } from '@understudy/plugin-sdk';
import type { AnalysisRef, CanaryStep, RolloutSpec, RouteMatch, Strategy, StrategyName } from './contract.js';
import { parseDuration } from './duration.js';
import type { MachineSpec, Step } from './rollout.js';

export const DeployConfigSchema = Type.Object(
  {
    defaults: Type.Unknown({ default: {}, description: 'A partial rollout spec every workload starts from (strategy, minReadySeconds, progressDeadlineSeconds, bakeSeconds, onFailure, failureExits).' }),
    rollouts: Type.Record(Type.String(), Type.Unknown(), { default: {}, description: 'Partial rollout specs by workload name, over `defaults`.' }),
    analysisTemplates: Type.Record(Type.String(), Type.Unknown(), { default: {}, description: 'Analysis templates by name (see the analysis section of the README).' }),
    history: Type.Object(
      {
        count: Type.Integer({ minimum: 1, default: 10, description: "Revisions kept per workload (Argo's revisionHistoryLimit)." }),
        bytes: Type.Integer({ minimum: 1000, default: 200_000, description: 'Estimated bytes of revisions kept per workload.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    analysisRuns: Type.Integer({ minimum: 1, default: 20, description: 'Analysis runs kept per rollout in its status.' }),
  },
  { additionalProperties: false },
);

export type DeployConfig = Static<typeof DeployConfigSchema>;

export const SPEC_DEFAULTS: RolloutSpec = {
  strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  minReadySeconds: 0,
  progressDeadlineSeconds: 600,
  bakeSeconds: 0,
  onFailure: 'rollback',
  failureExits: 3,
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string) => (path ? `${path}.${key}` : key);

function unknownKeys(value: Record<string, unknown>, known: string[], path: string, problems: string[]): void {
  for (const k of Object.keys(value)) if (!known.includes(k)) problems.push(`${at(path, k)}: unknown property (one of ${known.join(', ')})`);
}

function number(value: unknown, path: string, problems: string[], opts: { min?: number; max?: number; integer?: boolean } = {}): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) return void problems.push(`${path}: must be a number`);
  if (opts.integer && !Number.isInteger(value)) problems.push(`${path}: must be an integer`);
  if (opts.min !== undefined && value < opts.min) problems.push(`${path}: must be >= ${opts.min}`);
  if (opts.max !== undefined && value > opts.max) problems.push(`${path}: must be <= ${opts.max}`);
}

function intOrPercent(value: unknown, path: string, problems: string[]): void {
  if (value === undefined) return;
  if (typeof value === 'number') return number(value, path, problems, { min: 0, integer: true });
  if (typeof value !== 'string' || !/^\d+%$/.test(value)) problems.push(`${path}: must be an integer >= 0 or a percentage such as "25%"`);
}

function duration(value: unknown, path: string, problems: string[]): void {
  if (value !== undefined && parseDuration(value) === undefined) problems.push(`${path}: must be a duration (seconds, or "30s", "5m", "1h", "500ms")`);
}

function stringMatch(value: unknown, path: string, problems: string[]): void {
  if (!isObj(value)) return void problems.push(`${path}: must be an object with one of exact, prefix, regex`);
  unknownKeys(value, ['exact', 'prefix', 'regex'], path, problems);
  const set = ['exact', 'prefix', 'regex'].filter((k) => value[k] !== undefined);
  if (set.length !== 1) problems.push(`${path}: must have exactly one of exact, prefix, regex`);
  for (const k of set) if (typeof value[k] !== 'string') problems.push(`${path}.${k}: must be a string`);
  if (typeof value.regex === 'string') {
    try {
      new RegExp(value.regex);
    } catch {
      problems.push(`${path}.regex: not a valid regular expression`);
    }
  }
}

function matches(value: unknown, path: string, problems: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void problems.push(`${path}: must be an array of { headerName, headerValue } or { cookieName, cookieValue }`);
  value.forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(m)) return void problems.push(`${p}: must be an object`);
    if ('headerName' in m) {
      unknownKeys(m, ['headerName', 'headerValue'], p, problems);
      if (typeof m.headerName !== 'string' || !m.headerName) problems.push(`${p}.headerName: must be a non-empty string`);
      stringMatch(m.headerValue, `${p}.headerValue`, problems);
    } else if ('cookieName' in m) {
      unknownKeys(m, ['cookieName', 'cookieValue'], p, problems);
      if (typeof m.cookieName !== 'string' || !m.cookieName) problems.push(`${p}.cookieName: must be a non-empty string`);
      stringMatch(m.cookieValue, `${p}.cookieValue`, problems);
    } else problems.push(`${p}: must have headerName (and headerValue) or cookieName (and cookieValue)`);
  });
}

function analysisRef(value: unknown, path: string, problems: string[], templates: ReadonlySet<string>, extra: string[] = []): void {
  if (value === undefined) return;
  if (!isObj(value)) return void problems.push(`${path}: must be an object { templates: [{ templateName }], args? }`);
  unknownKeys(value, ['templates', 'args', ...extra], path, problems);
  if (!Array.isArray(value.templates) || value.templates.length === 0) problems.push(`${path}.templates: must be a non-empty array of { templateName }`);
  else
    value.templates.forEach((t, i) => {
      const name = isObj(t) ? t.templateName : undefined;
      if (!isObj(t) || typeof name !== 'string') return void problems.push(`${path}.templates[${i}].templateName: must be a string`);
      unknownKeys(t, ['templateName'], `${path}.templates[${i}]`, problems);
      if (!templates.has(name)) problems.push(`${path}.templates[${i}].templateName: no analysis template "${name}" (templates: ${[...templates].join(', ') || 'none'}; add it under plugins.deploy.analysisTemplates)`);
    });
  if (value.args !== undefined) {
    if (!Array.isArray(value.args)) problems.push(`${path}.args: must be an array of { name, value }`);
    else
      value.args.forEach((a, i) => {
        if (!isObj(a) || typeof a.name !== 'string' || typeof a.value !== 'string') problems.push(`${path}.args[${i}]: must be { name: string, value: string }`);
      });
  }
}

function steps(value: unknown, path: string, problems: string[], templates: ReadonlySet<string>): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void problems.push(`${path}: must be an array of steps (setWeight, pause, analysis, setHeaderRoute)`);
  value.forEach((step, i) => {
    const p = `${path}[${i}]`;
    const keys = isObj(step) ? Object.keys(step) : [];
    if (!isObj(step) || keys.length !== 1) return void problems.push(`${p}: must be an object with exactly one of setWeight, pause, analysis, setHeaderRoute`);
    const s = step as Record<string, unknown>;
    switch (keys[0]) {
      case 'setWeight':
        if (typeof s.setWeight !== 'number' || !Number.isInteger(s.setWeight) || s.setWeight < 0 || s.setWeight > 100) problems.push(`${p}.setWeight: must be an integer from 0 to 100`);
        break;
      case 'pause':
        if (!isObj(s.pause)) problems.push(`${p}.pause: must be an object ({} pauses until promoted, { duration } for a while)`);
        else {
          unknownKeys(s.pause, ['duration'], `${p}.pause`, problems);
          duration(s.pause.duration, `${p}.pause.duration`, problems);
        }
        break;
      case 'analysis':
        analysisRef(s.analysis, `${p}.analysis`, problems, templates);
        break;
      case 'setHeaderRoute': {
        const r = s.setHeaderRoute;
        if (!isObj(r)) problems.push(`${p}.setHeaderRoute: must be an object { name, match? }`);
        else {
          unknownKeys(r, ['name', 'match'], `${p}.setHeaderRoute`, problems);
          if (typeof r.name !== 'string' || !r.name) problems.push(`${p}.setHeaderRoute.name: must be a non-empty string`);
          matches(r.match, `${p}.setHeaderRoute.match`, problems);
        }
        break;
      }
      default:
        problems.push(`${p}: unknown step "${keys[0]}" (one of setWeight, pause, analysis, setHeaderRoute)`);
    }
  });
}

function strategy(value: unknown, path: string, problems: string[], templates: ReadonlySet<string>): void {
  if (value === undefined) return;
  const keys = isObj(value) ? Object.keys(value) : [];
  if (!isObj(value) || keys.length !== 1 || !['rollingUpdate', 'blueGreen', 'canary'].includes(keys[0]!)) {
    return void problems.push(`${path}: must be an object with exactly one of rollingUpdate, blueGreen, canary`);
  }
  const name = keys[0]!;
  const s = value[name];
  const p = `${path}.${name}`;
  if (!isObj(s)) return void problems.push(`${p}: must be an object`);
  if (name === 'rollingUpdate') {
    unknownKeys(s, ['maxSurge', 'maxUnavailable'], p, problems);
    intOrPercent(s.maxSurge, `${p}.maxSurge`, problems);
    intOrPercent(s.maxUnavailable, `${p}.maxUnavailable`, problems);
  } else if (name === 'blueGreen') {
    unknownKeys(
      s,
      ['activeService', 'previewService', 'previewReplicaCount', 'previewMatch', 'autoPromotionEnabled', 'autoPromotionSeconds', 'scaleDownDelaySeconds', 'abortScaleDownDelaySeconds', 'prePromotionAnalysis', 'postPromotionAnalysis'],
      p,
      problems,
    );
    for (const k of ['activeService', 'previewService']) if (s[k] !== undefined && typeof s[k] !== 'string') problems.push(`${p}.${k}: must be a string`);
    number(s.previewReplicaCount, `${p}.previewReplicaCount`, problems, { min: 1, integer: true });
    matches(s.previewMatch, `${p}.previewMatch`, problems);
    if (s.autoPromotionEnabled !== undefined && typeof s.autoPromotionEnabled !== 'boolean') problems.push(`${p}.autoPromotionEnabled: must be a boolean`);
    for (const k of ['autoPromotionSeconds', 'scaleDownDelaySeconds', 'abortScaleDownDelaySeconds']) number(s[k], `${p}.${k}`, problems, { min: 0 });
    analysisRef(s.prePromotionAnalysis, `${p}.prePromotionAnalysis`, problems, templates);
    analysisRef(s.postPromotionAnalysis, `${p}.postPromotionAnalysis`, problems, templates);
  } else {
    unknownKeys(s, ['steps', 'analysis', 'match', 'scaleDownDelaySeconds', 'abortScaleDownDelaySeconds', 'postPromotionAnalysis'], p, problems);
    steps(s.steps, `${p}.steps`, problems, templates);
    analysisRef(s.analysis, `${p}.analysis`, problems, templates, ['startingStep']);
    if (isObj(s.analysis)) number(s.analysis.startingStep, `${p}.analysis.startingStep`, problems, { min: 0, integer: true });
    matches(s.match, `${p}.match`, problems);
    for (const k of ['scaleDownDelaySeconds', 'abortScaleDownDelaySeconds']) number(s[k], `${p}.${k}`, problems, { min: 0 });
    analysisRef(s.postPromotionAnalysis, `${p}.postPromotionAnalysis`, problems, templates);
  }
}

export const SPEC_KEYS = ['strategy', 'minReadySeconds', 'progressDeadlineSeconds', 'bakeSeconds', 'onFailure', 'failureExits'];

/** Problems of a partial rollout spec (config or request), each with its path under `path`. */
export function specProblems(value: unknown, path: string, templates: ReadonlySet<string>, extraKeys: string[] = []): string[] {
  const problems: string[] = [];
  if (value === undefined) return problems;
  if (!isObj(value)) return [`${path || '(root)'}: must be an object`];
  unknownKeys(value, [...SPEC_KEYS, ...extraKeys], path, problems);
  strategy(value.strategy, at(path, 'strategy'), problems, templates);
  number(value.minReadySeconds, at(path, 'minReadySeconds'), problems, { min: 0 });
  number(value.progressDeadlineSeconds, at(path, 'progressDeadlineSeconds'), problems, { min: 1 });
  number(value.bakeSeconds, at(path, 'bakeSeconds'), problems, { min: 0 });
  number(value.failureExits, at(path, 'failureExits'), problems, { min: 1, integer: true });
  if (value.onFailure !== undefined && value.onFailure !== 'rollback' && value.onFailure !== 'freeze') problems.push(`${at(path, 'onFailure')}: must be "rollback" or "freeze"`);
  return problems;
}

/** The first spec field set wins, layer over layer (a strategy replaces the one below whole). */
export function resolveSpec(...layers: Array<Partial<RolloutSpec> | undefined>): RolloutSpec {
  const out: RolloutSpec = { ...SPEC_DEFAULTS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const k of SPEC_KEYS as Array<keyof RolloutSpec>) if (layer[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = layer[k];
  }
  return out;
}

export function strategyName(strategy: Strategy): StrategyName {
  return Object.keys(strategy)[0] as StrategyName;
}

/** The state machine's view of a spec. */
export function machineSpec(spec: RolloutSpec, rollback: boolean): MachineSpec {
  const name = strategyName(spec.strategy);
  const base: MachineSpec = {
    strategy: name,
    steps: [],
    prePromotionAnalysis: false,
    postPromotionAnalysis: false,
    autoPromotionEnabled: true,
    bakeMs: name === 'rollingUpdate' ? 0 : spec.bakeSeconds * 1000,
    onFailure: spec.onFailure,
    rollback,
  };
  if ('canary' in spec.strategy) {
    const c = spec.strategy.canary;
    base.steps = (c.steps ?? []).map(toStep);
    if (c.analysis) base.backgroundFrom = c.analysis.startingStep ?? 0;
    base.postPromotionAnalysis = c.postPromotionAnalysis !== undefined;
  } else if ('blueGreen' in spec.strategy) {
    const b = spec.strategy.blueGreen;
    base.prePromotionAnalysis = b.prePromotionAnalysis !== undefined;
    base.postPromotionAnalysis = b.postPromotionAnalysis !== undefined;
    base.autoPromotionEnabled = b.autoPromotionEnabled ?? true;
    if (b.autoPromotionSeconds !== undefined && b.autoPromotionSeconds > 0) base.autoPromotionMs = b.autoPromotionSeconds * 1000;
  }
  return base;
}

function toStep(step: CanaryStep): Step {
  if ('setWeight' in step) return { kind: 'setWeight', weight: step.setWeight };
  if ('pause' in step) {
    const ms = step.pause.duration === undefined ? undefined : parseDuration(step.pause.duration);
    return ms === undefined ? { kind: 'pause' } : { kind: 'pause', durationMs: ms };
  }
  if ('analysis' in step) return { kind: 'analysis' };
  return { kind: 'setHeaderRoute', name: step.setHeaderRoute.name, match: step.setHeaderRoute.match as RouteMatch[] | undefined };
}

/** The analysis reference a kind of run uses (undefined: none). */
export function analysisRefOf(spec: RolloutSpec, kind: 'step' | 'background' | 'prePromotion' | 'postPromotion', stepIndex?: number): AnalysisRef | undefined {
  const s = spec.strategy;
  if ('canary' in s) {
    if (kind === 'step') {
      const step = s.canary.steps?.[stepIndex ?? -1];
      return step && 'analysis' in step ? step.analysis : undefined;
    }
    if (kind === 'background') return s.canary.analysis;
    if (kind === 'postPromotion') return s.canary.postPromotionAnalysis;
    return undefined;
  }
  if ('blueGreen' in s) {
    if (kind === 'prePromotion') return s.blueGreen.prePromotionAnalysis;
    if (kind === 'postPromotion') return s.blueGreen.postPromotionAnalysis;
  }
  return undefined;
}
