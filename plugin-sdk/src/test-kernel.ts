import {
  createKernel,
  createVirtualClock,
  type Kernel,
  type KernelConfigInput,
  type PluginDefinition,
  type EventType,
  type PresetDefinition,
  type Services,
  type UnderstudyEvent,
} from '@understudy/kernel';
import { pino } from 'pino';

export interface TestKernelOptions {
  plugins?: Array<PluginDefinition<any> | string>;
  presets?: Array<PresetDefinition | string>;
  /** Per-plugin config, as under `plugins:` in understudy.yaml. */
  config?: Record<string, unknown>;
  /** Kernel settings other than `plugins` (seed, maxHops, …). */
  kernel?: KernelConfigInput;
  seed?: number | string;
  /** Folder relative paths in config resolve against. */
  cwd?: string;
  /** Listen on a real socket (port 0). Default true; false for inject-only tests. */
  listen?: boolean;
  /**
   * Test doubles, registered in place of the services plugins would provide (the
   * plugin's own `provide()` of that name is then ignored): `{ registry: fakeRegistry }`.
   */
  services?: Partial<Services>;
}

export interface TestKernel extends Kernel {
  /** Base URL of the real server on 127.0.0.1 and a free port ('' when listen is false). */
  readonly baseUrl: string;
  /** Every event emitted since start, in order. */
  readonly captured: UnderstudyEvent[];
  /** Events of one type. */
  eventsOf<K extends EventType>(type: K): UnderstudyEvent<K>[];
  /**
   * Resolve once at least `count` timers wait on the virtual clock — e.g. a delayed
   * response started by a fetch — so that the next advance() releases them. Rejects
   * after `withinMs` of real time.
   */
  untilTimers(count?: number, withinMs?: number): Promise<void>;
}

async function untilTimers(kernel: Kernel, count = 1, withinMs = 5000): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (kernel.clock.pendingTimers() < count) {
    if (performance.now() > deadline) {
      throw new Error(`untilTimers: ${kernel.clock.pendingTimers()} of ${count} timer(s) pending after ${withinMs} ms`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * A started kernel for tests: virtual clock, silent logs, port 0 on loopback, fixed
 * seed, and every event captured. Stop it in `after`/`finally`.
 */
export async function createTestKernel(options: TestKernelOptions = {}): Promise<TestKernel> {
  const kernel = createKernel({
    config: {
      ...options.kernel,
      seed: options.seed ?? options.kernel?.seed ?? 1,
      clock: 'virtual',
      logLevel: 'silent',
      server: { ...options.kernel?.server, port: 0, host: '127.0.0.1' },
      plugins: (options.config ?? {}) as KernelConfigInput['plugins'],
    },
    plugins: options.plugins,
    presets: options.presets,
    cwd: options.cwd,
    clock: createVirtualClock(),
    logger: pino({ level: 'silent' }),
    services: options.services,
    // a developer's UNDERSTUDY_ADMIN_TOKEN must not change a test's outcome
    env: {},
  });
  const captured: UnderstudyEvent[] = [];
  kernel.events.subscribe((e) => captured.push(e));
  let baseUrl = '';
  if (options.listen === false) {
    await kernel.setup();
    await kernel.started();
  } else {
    baseUrl = await kernel.start();
  }
  return Object.assign(Object.create(kernel) as Kernel, {
    baseUrl,
    captured,
    eventsOf: <K extends EventType>(type: K) => captured.filter((e) => e.type === type) as UnderstudyEvent<K>[],
    untilTimers: (count?: number, withinMs?: number) => untilTimers(kernel, count, withinMs),
  }) as TestKernel;
}
