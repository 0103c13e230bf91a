// Test helpers: a stand-in for the scenarios plugin that emits its events with the
// payloads of its contract (scenario.started/step/waypoint/paused/resumed/speed/jumped/
// ended), driven by the test on the virtual clock; a kernel with the recorder on a real
// socket; and small readers of the admin API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, type PluginContext } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import recorder from '../src/index.js';

type Emit = (type: string, data: unknown) => void;

/** Emits events as another plugin would (the kernel stamps them with its name and the clock). */
export function eventSource(name = 'scenarios') {
  let ctx: PluginContext | undefined;
  const plugin = definePlugin({
    name,
    register(c) {
      ctx = c;
    },
  });
  const emit: Emit = (type, data) => (ctx!.events.emit as unknown as Emit)(type, data);
  return { plugin, emit, now: () => ctx!.clock.now(), resolve: () => ctx!.resolve('recorder') };
}

/** A run of one script, as the scenarios plugin announces it. */
export function run(emit: Emit, now: () => number, scenario = 'bank', session = 'default') {
  const ref = (at: number) => ({ scenario, session, at, wallAt: now() });
  return {
    started: (speed = 1) => emit('scenario.started', { ...ref(0), speed, steps: 3, lengthMs: 120_000 }),
    step: (at: number, step: string, extra: Record<string, unknown> = {}) => {
      emit('scenario.step', { ...ref(at), step, index: 0, ...extra });
      if (typeof extra.waypoint === 'string') emit('scenario.waypoint', { ...ref(at), step, waypoint: extra.waypoint, ...(extra.replayed ? { replayed: true } : {}) });
    },
    paused: (at: number) => emit('scenario.paused', ref(at)),
    resumed: (at: number) => emit('scenario.resumed', ref(at)),
    speed: (at: number, speed: number) => emit('scenario.speed', { ...ref(at), speed, previous: 1 }),
    jumped: (from: number, at: number, kind: 'jump' | 'rewind', waypoint?: string) => emit('scenario.jumped', { ...ref(at), from, kind, replayed: 1, ...(waypoint && { waypoint }) }),
    ended: (at: number, reason = 'completed') => emit('scenario.ended', { ...ref(at), reason, stepsRun: 3, errors: 0 }),
  };
}

export const tempDir = () => mkdtempSync(join(tmpdir(), 'understudy-recorder-'));

export type Kit = TestKernel & { emit: Emit; now: () => number; dir: string; bank: ReturnType<typeof run> };

export async function start(config: Record<string, unknown> = {}): Promise<Kit> {
  const source = eventSource();
  const dir = tempDir();
  const k = await createTestKernel({ plugins: [recorder, source.plugin], config: { recorder: { files: { dir }, ...config } } });
  return Object.assign(k, { emit: source.emit, now: source.now, dir, bank: run(source.emit, source.now) });
}

export const admin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/recorder${path}`, init);
export const mark = (k: TestKernel, json: unknown) => admin(k, '/markers', { method: 'POST', json });
