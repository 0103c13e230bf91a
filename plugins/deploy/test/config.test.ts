// Rollout spec checks (every problem with its path, config and requests alike), the
// layering of specs over the defaults, the state machine's view of a spec, and the
// analysis reference each kind of run uses; the routing's header and cookie matching.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { analysisRefOf, machineSpec, resolveSpec, SPEC_DEFAULTS, specProblems } from '../src/config.js';
import type { RolloutSpec } from '../src/contract.js';
import { matchesRequest } from '../src/routing.js';

const it = suite('deploy: rollout spec');
const T = new Set(['t']);
const probs = (v: unknown) => specProblems(v, 'p', T);
const has = (found: string[], line: string) => assert.ok(found.some((f) => f.includes(line)), `"${line}" in:\n${found.join('\n')}`);

it('every problem of a spec, with its path', () => {
  assert.equal(probs(undefined), []);
  assert.equal(specProblems(5, '', T), ['(root): must be an object']);
  assert.equal(probs([]), ['p: must be an object']);
  has(probs({ minReadySeconds: 'x', progressDeadlineSeconds: 0, bakeSeconds: -1, failureExits: 1.5 }), 'p.minReadySeconds: must be a number');
  has(probs({ progressDeadlineSeconds: 0 }), 'p.progressDeadlineSeconds: must be >= 1');
  has(probs({ failureExits: 1.5 }), 'p.failureExits: must be an integer');
  has(probs({ strategy: 'canary' }), 'p.strategy: must be an object with exactly one of');
  has(probs({ strategy: { canary: {}, blueGreen: {} } }), 'exactly one of');
  has(probs({ strategy: { canary: 1 } }), 'p.strategy.canary: must be an object');
  const rolling = probs({ strategy: { rollingUpdate: { maxSurge: '25', maxUnavailable: -1, x: 1 } } });
  has(rolling, 'p.strategy.rollingUpdate.maxSurge: must be an integer >= 0 or a percentage');
  has(rolling, 'p.strategy.rollingUpdate.maxUnavailable: must be >= 0');
  has(rolling, 'p.strategy.rollingUpdate.x: unknown property');
  assert.equal(probs({ strategy: { rollingUpdate: { maxSurge: '50%', maxUnavailable: 1 } } }), []);
  const bg = probs({
    strategy: {
      blueGreen: { activeService: 1, previewReplicaCount: 0, autoPromotionEnabled: 'yes', autoPromotionSeconds: -1, previewMatch: 'x', prePromotionAnalysis: 'a', postPromotionAnalysis: { templates: [] }, colour: 1 },
    },
  });
  for (const line of [
    'p.strategy.blueGreen.activeService: must be a string',
    'p.strategy.blueGreen.previewReplicaCount: must be >= 1',
    'p.strategy.blueGreen.autoPromotionEnabled: must be a boolean',
    'p.strategy.blueGreen.autoPromotionSeconds: must be >= 0',
    'p.strategy.blueGreen.previewMatch: must be an array',
    'p.strategy.blueGreen.prePromotionAnalysis: must be an object',
    'p.strategy.blueGreen.postPromotionAnalysis.templates: must be a non-empty array',
    'p.strategy.blueGreen.colour: unknown property',
  ]) has(bg, line);
  const c = probs({
    strategy: {
      canary: {
        steps: [
          5,
          { setWeight: 1, pause: {} },
          { pause: 3 },
          { pause: { duration: '1m', x: 1 } },
          { analysis: { templates: [5, { templateName: 't', extra: 1 }], args: 'a', more: 1 } },
          { analysis: { templates: [{ templateName: 't' }], args: [{ name: 'a' }] } },
          { setHeaderRoute: 5 },
          { setHeaderRoute: { name: '', match: [5, { headerName: '', headerValue: 'x' }, { cookieName: '', cookieValue: { exact: 1 } }, { other: 1 }], y: 1 } },
        ],
        analysis: { templates: [{ templateName: 't' }], startingStep: -1 },
        match: [{ headerName: 'h', headerValue: { exact: 'a', z: 1 } }],
        scaleDownDelaySeconds: 'x',
      },
    },
  });
  for (const line of [
    'p.strategy.canary.steps[0]: must be an object with exactly one of',
    'p.strategy.canary.steps[1]: must be an object with exactly one of',
    'p.strategy.canary.steps[2].pause: must be an object',
    'p.strategy.canary.steps[3].pause.x: unknown property',
    'p.strategy.canary.steps[4].analysis.templates[0].templateName: must be a string',
    'p.strategy.canary.steps[4].analysis.templates[1].extra: unknown property',
    'p.strategy.canary.steps[4].analysis.args: must be an array',
    'p.strategy.canary.steps[4].analysis.more: unknown property',
    'p.strategy.canary.steps[5].analysis.args[0]: must be { name: string, value: string }',
    'p.strategy.canary.steps[6].setHeaderRoute: must be an object',
    'p.strategy.canary.steps[7].setHeaderRoute.name: must be a non-empty string',
    'p.strategy.canary.steps[7].setHeaderRoute.match[0]: must be an object',
    'p.strategy.canary.steps[7].setHeaderRoute.match[1].headerName: must be a non-empty string',
    'p.strategy.canary.steps[7].setHeaderRoute.match[1].headerValue: must be an object',
    'p.strategy.canary.steps[7].setHeaderRoute.match[2].cookieName: must be a non-empty string',
    'p.strategy.canary.steps[7].setHeaderRoute.match[2].cookieValue.exact: must be a string',
    'p.strategy.canary.steps[7].setHeaderRoute.match[3]: must have headerName',
    'p.strategy.canary.steps[7].setHeaderRoute.y: unknown property',
    'p.strategy.canary.analysis.startingStep: must be >= 0',
    'p.strategy.canary.match[0].headerValue.z: unknown property',
    'p.strategy.canary.scaleDownDelaySeconds: must be a number',
  ]) has(c, line);
  has(probs({ strategy: { canary: { steps: 'x' } } }), 'p.strategy.canary.steps: must be an array');
  has(probs({ strategy: { canary: { match: [{ cookieName: 'c', cookieValue: { regex: '[a-z]+', prefix: 'a' } }] } } }), 'exactly one of exact, prefix, regex');
  assert.equal(probs({ strategy: { canary: { steps: [{ setWeight: 10 }, { pause: { duration: 30 } }, { setHeaderRoute: { name: 'n' } }], match: [{ cookieName: 'c', cookieValue: { regex: '^a' } }] } } }), []);
});

it('specs layer over the defaults; the machine sees steps, analyses, promotion settings', () => {
  const spec = resolveSpec({ onFailure: 'freeze' }, undefined, { bakeSeconds: 5, minReadySeconds: undefined });
  assert.equal(spec, { ...SPEC_DEFAULTS, onFailure: 'freeze', bakeSeconds: 5 });
  const canary: RolloutSpec = {
    ...SPEC_DEFAULTS,
    bakeSeconds: 2,
    strategy: {
      canary: {
        steps: [{ setWeight: 10 }, { pause: {} }, { pause: { duration: '1m' } }, { analysis: { templates: [{ templateName: 't' }] } }, { setHeaderRoute: { name: 'h' } }],
        analysis: { templates: [{ templateName: 't' }] },
        postPromotionAnalysis: { templates: [{ templateName: 't' }] },
      },
    },
  };
  const m = machineSpec(canary, false);
  assert.equal(m.steps, [{ kind: 'setWeight', weight: 10 }, { kind: 'pause' }, { kind: 'pause', durationMs: 60_000 }, { kind: 'analysis' }, { kind: 'setHeaderRoute', name: 'h', match: undefined }]);
  assert.is(m.backgroundFrom, 0);
  assert.ok(m.postPromotionAnalysis);
  assert.is(m.bakeMs, 2000);
  assert.ok(analysisRefOf(canary, 'step', 3));
  assert.is(analysisRefOf(canary, 'step', 0), undefined);
  assert.is(analysisRefOf(canary, 'step'), undefined);
  assert.ok(analysisRefOf(canary, 'background'));
  assert.ok(analysisRefOf(canary, 'postPromotion'));
  assert.is(analysisRefOf(canary, 'prePromotion'), undefined);
  const bg: RolloutSpec = { ...SPEC_DEFAULTS, strategy: { blueGreen: { autoPromotionEnabled: false, autoPromotionSeconds: 0, prePromotionAnalysis: { templates: [{ templateName: 't' }] } } } };
  const b = machineSpec(bg, true);
  assert.equal([b.autoPromotionEnabled, b.autoPromotionMs, b.prePromotionAnalysis, b.postPromotionAnalysis, b.rollback], [false, undefined, true, false, true]);
  assert.ok(analysisRefOf(bg, 'prePromotion'));
  assert.is(analysisRefOf(bg, 'postPromotion'), undefined);
  assert.is(analysisRefOf(bg, 'step'), undefined);
  assert.is(machineSpec({ ...bg, strategy: { blueGreen: { autoPromotionSeconds: 9 } } }, false).autoPromotionMs, 9000);
  const rolling = machineSpec({ ...SPEC_DEFAULTS, bakeSeconds: 10 }, false);
  assert.equal([rolling.strategy, rolling.bakeMs], ['rollingUpdate', 0]);
  assert.is(analysisRefOf(SPEC_DEFAULTS, 'postPromotion'), undefined);
});

it('A/B matching: headers (case-insensitive names, first of a list), cookies, exact / prefix / regex', () => {
  const h = [{ headerName: 'X-Beta', headerValue: { regex: '^on|yes$' } }];
  assert.ok(matchesRequest(h, { 'x-beta': 'yes' }));
  assert.ok(matchesRequest(h, { 'x-beta': ['on', 'off'] }));
  assert.not.ok(matchesRequest(h, { 'x-beta': 'no' }));
  assert.not.ok(matchesRequest(h, {}));
  const c = [{ cookieName: 'group', cookieValue: { prefix: 'b' } }];
  assert.ok(matchesRequest(c, { cookie: 'a=1; group=beta' }));
  assert.ok(matchesRequest(c, { cookie: ['x=1', 'group=b2'] }));
  assert.not.ok(matchesRequest(c, { cookie: 'group=alpha; =b; junk' }));
  assert.not.ok(matchesRequest(c, {}));
});

it.run();
