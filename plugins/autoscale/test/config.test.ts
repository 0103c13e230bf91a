// The autoscaler spec: every problem reported with its full path, and the defaults
// Kubernetes and KEDA use (scale-down stabilization 300 s, scale-up 0 s, the default rate
// policies, tolerance 0.1, sync 15 s; pollingInterval 30 s, cooldownPeriod 300 s).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_METRICS, normalizeSpec, specProblems, type SpecDefaults } from '../src/config.js';

const it = suite('autoscale: config');

const D: SpecDefaults = { syncPeriodSeconds: 15, tolerance: 0.1, followHealth: true, queues: new Set(['jobs']), policies: new Set(['hpa', 'keda', 'predictive']) };
const P = 'plugins.autoscale.autoscalers.web';

it("defaults: Kubernetes' behavior, tolerance, sync period and metric", () => {
  assert.equal(specProblems({}, D, P), []);
  const s = normalizeSpec('web', {}, D);
  assert.equal([s.policy, s.enabled, s.minReplicas, s.maxReplicas, s.syncPeriodSeconds, s.tolerance, s.followHealth], ['hpa', true, 1, 10, 15, 0.1, true]);
  assert.equal(s.metrics, DEFAULT_METRICS);
  assert.equal(s.behavior.scaleDown, { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], tolerance: 0.1 });
  assert.equal(s.behavior.scaleUp, {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
    tolerance: 0.1,
  });
  assert.is(s.keda, undefined);
  // the spec's tolerance is each direction's default; a direction's own wins
  const t = normalizeSpec('web', { tolerance: 0.05, behavior: { scaleUp: { tolerance: 0.2, stabilizationWindowSeconds: 30 } } }, D);
  assert.equal([t.behavior.scaleUp.tolerance, t.behavior.scaleDown.tolerance, t.behavior.scaleUp.stabilizationWindowSeconds], [0.2, 0.05, 30]);
});

it("KEDA's defaults: pollingInterval 30, cooldownPeriod 300, minReplicaCount 0, maxReplicaCount 100; the HPA bounds follow them", () => {
  const raw = { keda: { triggers: [{ type: 'queue', queue: 'jobs', threshold: 5 }, { type: 'rate', threshold: 100, activationThreshold: 10 }, { type: 'metric', metric: { name: 'm', labels: { a: 'b' } }, threshold: 3 }] } };
  assert.equal(specProblems(raw, D, P), []);
  const s = normalizeSpec('worker', raw, D);
  assert.is(s.policy, 'keda');
  assert.equal([s.keda!.pollingInterval, s.keda!.cooldownPeriod, s.keda!.minReplicaCount, s.keda!.maxReplicaCount, s.minReplicas, s.maxReplicas], [30, 300, 0, 100, 0, 100]);
  assert.equal(s.keda!.triggers, [
    { type: 'queue', queue: 'jobs', threshold: 5, activationThreshold: 0 },
    { type: 'rate', threshold: 100, activationThreshold: 10 },
    { type: 'metric', metric: { name: 'm', labels: { a: 'b' } }, metricType: 'AverageValue', threshold: 3, activationThreshold: 0 },
  ]);
  assert.equal(s.metrics, [], 'no default CPU metric for KEDA');
  const idle = normalizeSpec('worker', { keda: { minReplicaCount: 2, idleReplicaCount: 0, triggers: [{ type: 'rate', threshold: 1 }] } }, D);
  assert.is(idle.keda!.idleReplicaCount, 0);
  const pred = normalizeSpec('web', { policy: 'predictive', predictive: { sampleSeconds: 60 } }, D);
  assert.equal([pred.policy, pred.predictive, pred.metrics], ['predictive', { sampleSeconds: 60 }, []]);
});

it('empty scaling policies are refused (every rate limit would be −Infinity) unless selectPolicy is Disabled', () => {
  assert.equal(specProblems({ behavior: { scaleUp: { policies: [] } } }, D, P), [
    `${P}.behavior.scaleUp.policies: must specify at least one policy (or leave policies out for the defaults, or set selectPolicy: Disabled)`,
  ]);
  assert.equal(specProblems({ behavior: { scaleDown: { selectPolicy: 'Disabled', policies: [] } } }, D, P), []);
  const s = normalizeSpec('web', { behavior: { scaleDown: { selectPolicy: 'Disabled', policies: [] } } }, D);
  assert.equal(s.behavior.scaleDown.policies, []);
  assert.is(s.behavior.scaleDown.selectPolicy, 'Disabled');
});

it('every problem with its path', () => {
  const problems = specProblems(
    {
      policy: 'hpa',
      polcy: 'hpa',
      enabled: 'yes',
      followHealth: 1,
      minReplicas: 0,
      maxReplicas: 1.5,
      syncPeriodSeconds: 0,
      tolerance: 1,
      metrics: [
        { type: 'Resource', resource: { name: 'gpu', target: { type: 'Value', value: 1 } } },
        { type: 'Pods', pods: { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: -1 } } },
        { type: 'External', external: { metric: { name: '', labels: { a: 1 } }, target: { type: 'Utilization', averageUtilization: 50 } } },
        { type: 'Object' },
        'cpu',
        { type: 'Resource' },
        { type: 'Pods', pods: { target: { type: 'AverageValue', averageValue: 1 } } },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50.5, extra: 1 } } },
        { type: 'Resource', resource: { name: 'cpu' } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 3601, selectPolicy: 'Most', tolerance: -1, policies: [{ type: 'Pod', value: 0, periodSeconds: 1801 }, 'x', { value: 1 }], x: 1 },
        scaleDown: 'fast',
        sideways: {},
      },
      keda: { triggers: [] },
    },
    D,
    P,
  );
  const expected = [
    `${P}.polcy: unknown property`,
    `${P}.enabled: must be a boolean`,
    `${P}.followHealth: must be a boolean`,
    `${P}.syncPeriodSeconds: must be >= 1`,
    `${P}.tolerance: must be < 1`,
    `${P}.minReplicas: must be >= 1`,
    `${P}.maxReplicas: must be an integer`,
    `${P}.metrics[0].resource.name: must be one of cpu, memory`,
    `${P}.metrics[0].resource.target.type: must be one of Utilization, AverageValue`,
    `${P}.metrics[1].pods.metric.name: must be one of requests_per_second, utilisation`,
    `${P}.metrics[1].pods.target.averageValue: must be > 0`,
    `${P}.metrics[2].external.metric.name: is required`,
    `${P}.metrics[2].external.metric.labels.a: must be a string`,
    `${P}.metrics[2].external.target.type: must be one of Value, AverageValue`,
    `${P}.metrics[3].type: must be one of Resource, Pods, External`,
    `${P}.metrics[4]: must be an object`,
    `${P}.metrics[5].resource: is required`,
    `${P}.metrics[6].pods.metric: is required`,
    `${P}.metrics[7].resource.target.extra: unknown property`,
    `${P}.metrics[7].resource.target.averageUtilization: must be an integer`,
    `${P}.metrics[8].resource.target: is required`,
    `${P}.behavior.sideways: unknown property`,
    `${P}.behavior.scaleUp.x: unknown property`,
    `${P}.behavior.scaleUp.stabilizationWindowSeconds: must be <= 3600`,
    `${P}.behavior.scaleUp.selectPolicy: must be one of Max, Min, Disabled`,
    `${P}.behavior.scaleUp.tolerance: must be >= 0`,
    `${P}.behavior.scaleUp.policies[0].type: must be one of Pods, Percent`,
    `${P}.behavior.scaleUp.policies[0].value: must be > 0`,
    `${P}.behavior.scaleUp.policies[0].periodSeconds: must be <= 1800`,
    `${P}.behavior.scaleUp.policies[1]: must be an object`,
    `${P}.behavior.scaleUp.policies[2].type: is required`,
    `${P}.behavior.scaleUp.policies[2].periodSeconds: is required`,
    `${P}.behavior.scaleDown: must be an object`,
    `${P}.keda: only used by policy keda`,
  ];
  for (const e of expected) assert.ok(problems.some((p) => p.startsWith(e)), `missing "${e}" in:\n${problems.join('\n')}`);
  assert.is(problems.length, expected.length, problems.join('\n'));
});

it('KEDA, queue and predictive problems with their paths; a non-object spec', () => {
  assert.equal(specProblems('fast', D, P), [`${P}: must be an object (an autoscaler spec: { minReplicas, maxReplicas, metrics, behavior } or { policy: keda, keda: { triggers } })`]);
  assert.equal(specProblems(null, D), ['(root): must be an object (an autoscaler spec: { minReplicas, maxReplicas, metrics, behavior } or { policy: keda, keda: { triggers } })']);
  const problems = specProblems(
    {
      policy: 'keda',
      minReplicas: 1,
      maxReplicas: 3,
      metrics: 'cpu',
      behavior: 'x',
      predictive: 5,
      keda: {
        pollingInterval: 0,
        cooldownPeriod: -1,
        minReplicaCount: 3,
        maxReplicaCount: 2,
        idleReplicaCount: 3,
        extra: true,
        triggers: [{ type: 'queue', queue: 'mail', threshold: 0 }, { type: 'queue' }, { type: 'rate', threshold: 1, activationThreshold: -1, queue: 'x' }, { type: 'metric', threshold: 1, metricType: 'Sum' }, { type: 'cron' }, 7, { type: 'metric', metric: { name: 'm', labels: 'x', x: 1 }, threshold: 1 }],
      },
    },
    D,
    P,
  );
  const expected = [
    `${P}.minReplicas: not used by policy keda: set keda.minReplicaCount`,
    `${P}.maxReplicas: not used by policy keda: set keda.maxReplicaCount`,
    `${P}.metrics: must be an array`,
    `${P}.behavior: must be an object`,
    `${P}.predictive: must be an object`,
    `${P}.keda.extra: unknown property`,
    `${P}.keda.pollingInterval: must be >= 1`,
    `${P}.keda.cooldownPeriod: must be >= 0`,
    `${P}.keda.maxReplicaCount: must be >= minReplicaCount (3)`,
    `${P}.keda.idleReplicaCount: must be < minReplicaCount (3)`,
    `${P}.keda.triggers[0].queue: no queue "mail"`,
    `${P}.keda.triggers[0].threshold: must be > 0`,
    `${P}.keda.triggers[1].queue: is required`,
    `${P}.keda.triggers[1].threshold: is required`,
    `${P}.keda.triggers[2].queue: unknown property`,
    `${P}.keda.triggers[2].activationThreshold: must be >= 0`,
    `${P}.keda.triggers[3].metric: is required`,
    `${P}.keda.triggers[3].metricType: must be one of AverageValue, Value`,
    `${P}.keda.triggers[4].type: must be one of queue, rate, metric`,
    `${P}.keda.triggers[5]: must be an object`,
    `${P}.keda.triggers[6].metric.x: unknown property`,
    `${P}.keda.triggers[6].metric.labels: must be an object of strings`,
  ];
  for (const e of expected) assert.ok(problems.some((p) => p.startsWith(e)), `missing "${e}" in:\n${problems.join('\n')}`);
  assert.is(problems.length, expected.length, problems.join('\n'));
  assert.equal(specProblems({ policy: 'keda' }, D, P), [`${P}.keda: is required for policy keda: { triggers, pollingInterval?, cooldownPeriod?, minReplicaCount?, maxReplicaCount? }`]);
  assert.equal(specProblems({ keda: { triggers: 'x' } }, D, P), [`${P}.keda.triggers: is required: at least one trigger { type: queue | rate | metric, threshold, … }`]);
  assert.equal(specProblems({ policy: 'magic' }, D, P), [`${P}.policy: must be one of hpa, keda, predictive`]);
  assert.equal(specProblems({ minReplicas: 5, maxReplicas: 2 }, D, P), [`${P}.maxReplicas: must be >= minReplicas (5)`]);
  assert.equal(specProblems({ minReplicas: 'x' }, D, P), [`${P}.minReplicas: must be a number`]);
  // predictive settings are checked for policy predictive only
  assert.equal(specProblems({ predictive: { sampleSeconds: 0 } }, D, P), []);
  const pred = specProblems({ policy: 'predictive', predictive: { sampleSeconds: 0, method: 'magic' } }, D, P);
  assert.ok(pred.some((p) => p.startsWith(`${P}.predictive.method:`)));
  assert.ok(pred.some((p) => p.startsWith(`${P}.predictive.sampleSeconds:`)));
  // queue triggers with no queues declared say so
  const none = specProblems({ keda: { triggers: [{ type: 'queue', queue: 'q', threshold: 1 }, { type: 'queue', threshold: 1 }] } }, { ...D, queues: new Set() }, P);
  assert.match(none[0]!, 'none declared');
  assert.match(none[1]!, 'none declared');
});

it.run();
