// The `fleet` service: every device's record, its simulated connection (an MQTT client
// of its own, or in-process), its connectivity model, lifecycle events and bulk jobs.
// Devices are kept in one Map by id, so the per-device paths (connect, disconnect,
// message) never scan the fleet; only list, stats and bulk work do.
//
// Admin edits go validate → acquire → commit: everything is checked first (templates,
// updates, every id a bulk filter names), then written to storage in one transaction, and
// only then applied in memory and announced — so a bad item or a failing write changes
// nothing. What cannot be one transaction (connecting real sockets) runs as a job whose
// per-device outcome is reported (see the README, "Bulk work").
import type { Clock, PluginEvents, Random } from '@understudy/plugin-sdk';
import type { Broker } from '@understudy/plugin-mqtt';
import type { Logger } from 'pino';
import { InprocessDevice } from './agents/inprocess-device.js';
import { MqttDevice } from './agents/mqtt-device.js';
import type { DeviceEnv, DeviceEvents, SimulatedDevice } from './agents/simulated-device.js';
import { resolveDeviceType, type FleetConfig } from './config.js';
import { ConnectivityModel } from './connectivity.js';
import { FleetErrors } from './errors.js';
import { followExternalDevices } from './external-devices.js';
import { compileFilter } from './filter.js';
import { Jobs, type Job, type JobAction } from './jobs.js';
import { Limiter } from './limiter.js';
import { planDevices, type PlanMode } from './provisioning.js';
import type { DeviceStore } from './store.js';
import type { Device, DeviceAgent, DeviceChange, DeviceFilter, DeviceState, DeviceUpdate, Fleet, ProvisionTemplate } from './contract.js';

export interface FleetDeps {
  config: FleetConfig;
  clock: Clock;
  random: Random;
  events: PluginEvents;
  logger: Logger;
  broker: Broker;
  store: DeviceStore;
}

export interface FleetStats {
  total: number;
  byState: Record<DeviceState, number>;
  byType: Record<string, { total: number } & Record<DeviceState, number>>;
  /** Devices online now (state active). */
  connected: number;
  /** Connects waiting for or holding a slot of connectConcurrency. */
  connecting: number;
  /** Simulated devices with a connect or disconnect under way. */
  changing: number;
  counters: { connects: number; connectFailures: number; expectedDisconnects: number; unexpectedDisconnects: number };
  jobs: { running: number };
}

interface Entry {
  device: Device;
  agent?: SimulatedDevice;
  model?: ConnectivityModel;
  decommissioning?: Promise<Device>;
}

const PROVISION_CHUNK = 500;
const STOP_GRACE_MS = 2000;
const MAX_JOB_IDS = 1000;

const snapshot = (d: Device): Device => ({ ...d, credentials: { ...d.credentials }, metadata: { ...d.metadata } });
const emptyStates = (): Record<DeviceState, number> => ({ provisioned: 0, active: 0, offline: 0, decommissioned: 0 });
/** Real time, for bounds on real sockets (the kernel clock may be virtual and stand still). */
const realDelay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class FleetService implements Fleet {
  readonly jobs: Jobs;
  readonly counters = { connects: 0, connectFailures: 0, expectedDisconnects: 0, unexpectedDisconnects: 0 };
  private readonly entries = new Map<string, Entry>();
  /** Ids planned by a running provisioning job: taken, not yet stored. */
  private readonly reserved = new Set<string>();
  private readonly listeners = new Set<(change: DeviceChange) => void>();
  private readonly limiter: Limiter;
  private readonly env: DeviceEnv;
  private readonly unsubscribers: Array<() => void> = [];
  private started = false;
  private stopping = false;

  constructor(private readonly deps: FleetDeps) {
    this.jobs = new Jobs(deps.clock, deps.config.maxJobs);
    this.limiter = new Limiter(deps.config.connectConcurrency);
    const events: DeviceEvents = {
      connected: (id) => this.onConnected(id),
      disconnected: (id, expected) => this.onDisconnected(id, expected),
      seen: (id) => this.seen(id),
    };
    this.env = {
      events,
      logger: deps.logger,
      now: () => deps.clock.now(),
      gate: (open) =>
        this.limiter
          .run(() => (this.stopping ? Promise.reject(new Error('the fleet is stopping')) : open()))
          .catch((err) => {
            if (!this.stopping) this.counters.connectFailures++;
            throw err;
          }),
    };
    for (const device of deps.store.load()) {
      // nothing is connected in a new process: an active device is offline until it reconnects
      if (device.state === 'active') {
        device.state = 'offline';
        deps.store.save(device);
      }
      this.add(device);
    }
  }

  // ---- the Fleet contract ----

  list(filter?: DeviceFilter): Device[] {
    const matches = compileFilter(filter);
    const out: Device[] = [];
    for (const { device } of this.entries.values()) if (matches(device)) out.push(snapshot(device));
    return out;
  }

  get(id: string): Device | undefined {
    const e = this.entries.get(id);
    return e && snapshot(e.device);
  }

  async provision(templates: ProvisionTemplate[]): Promise<Device[]> {
    return this.commit(this.plan(templates, 'append'));
  }

  agent(id: string): DeviceAgent | undefined {
    return this.entries.get(id)?.agent;
  }

  watch(listener: (change: DeviceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- beyond the contract: admin routes, lifecycle (and test/bench) ----

  /** A device sent a message: lastSeenAt (kept in memory, stored with the next state change). */
  seen(id: string): void {
    const e = this.entries.get(id);
    if (e) e.device.lastSeenAt = this.deps.clock.now();
  }

  /** A device, or US_FLEET_DEVICE_NOT_FOUND. */
  require(id: string): Device {
    return snapshot(this.entry(id).device);
  }

  requireJob(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new FleetErrors.JOB_NOT_FOUND(id, this.jobs.max);
    return job;
  }

  /** One page of the devices a filter selects, and how many it selects in all. */
  query(filter: DeviceFilter, offset: number, limit: number): { total: number; devices: Device[] } {
    const matches = compileFilter(filter);
    const devices: Device[] = [];
    let total = 0;
    for (const { device } of this.entries.values()) {
      if (!matches(device)) continue;
      if (total >= offset && devices.length < limit) devices.push(snapshot(device));
      total++;
    }
    return { total, devices };
  }

  /** Check templates and make the device records, storing nothing (4xx errors surface here). */
  plan(templates: ProvisionTemplate[], mode: PlanMode = 'append'): Device[] {
    const { config, clock, random } = this.deps;
    const planned = planDevices(
      templates,
      {
        now: clock.now(),
        random,
        deviceTypes: config.deviceTypes,
        strictTypes: config.strictTypes,
        exists: (id) => this.entries.has(id) || this.reserved.has(id),
        ids: () => [...this.entries.keys(), ...this.reserved],
      },
      mode,
    );
    const used = this.entries.size + this.reserved.size;
    if (used + planned.length > config.maxDevices) throw new FleetErrors.LIMIT(planned.length, used, config.maxDevices);
    return planned;
  }

  /** Store planned devices (one transaction), then bring them in (see activate). */
  commit(planned: Device[]): Device[] {
    this.deps.store.insert(planned);
    return this.activate(planned);
  }

  /** Register stored devices' identities, announce them, connect them (autoConnect). */
  private activate(planned: Device[]): Device[] {
    const out: Device[] = [];
    for (const device of planned) {
      const e = this.add(device);
      this.deps.events.emit('device.provisioned', { id: device.id, type: device.type });
      this.notify('provisioned', e);
      if (this.started && !this.stopping && this.deps.config.autoConnect && e.agent) void this.connectQuietly(e);
      out.push(snapshot(device));
    }
    return out;
  }

  /**
   * Provision many: every device is planned and stored (one transaction) before this
   * returns, so the provisioning happens whole or not at all; the job then brings them in
   * (identities, connections) in chunks, letting admin requests in between. A job cut short
   * by a stop leaves the rest stored: they come back on the next start.
   */
  provisionJob(templates: ProvisionTemplate[]): Job {
    const planned = this.plan(templates, 'append');
    this.deps.store.insert(planned);
    for (const d of planned) this.reserved.add(d.id);
    const job = this.jobs.create('provision', planned.length);
    if (planned.length <= MAX_JOB_IDS) job.view.ids = planned.map((d) => d.id);
    void (async () => {
      let brought = 0;
      try {
        for (let i = 0; i < planned.length; i += PROVISION_CHUNK) {
          await nextTurn(); // let admin requests (GET /jobs/:id) in between chunks
          if (this.stopping) throw new Error(`the fleet stopped before the job finished; the other ${planned.length - brought} device(s) are stored and come back on the next start`);
          const chunk = planned.slice(i, i + PROVISION_CHUNK);
          for (const d of chunk) this.reserved.delete(d.id);
          this.activate(chunk);
          brought += chunk.length;
          job.succeeded(chunk.length);
        }
        job.finish();
      } catch (err) {
        for (const d of planned) this.reserved.delete(d.id);
        job.abort((err as Error).message);
      }
    })();
    return job;
  }

  async connect(id: string): Promise<Device> {
    const e = this.simulated(id, 'connected');
    this.keepOffline([e], false);
    await this.connectEntry(e);
    return snapshot(e.device);
  }

  /**
   * Take a device offline and keep it there — across restarts too (the wish is stored
   * first): `expected` false drops the connection (the will is published).
   */
  async disconnect(id: string, expected = true): Promise<Device> {
    const e = this.simulated(id, 'disconnected');
    this.keepOffline([e], true);
    await this.disconnectEntry(e, expected);
    return snapshot(e.device);
  }

  update(id: string, update: DeviceUpdate): Device {
    const e = this.entry(id);
    checkUpdate(update);
    if (e.device.state === 'decommissioned') throw new FleetErrors.DECOMMISSIONED(id, 'updated');
    this.applyAll([e], update);
    return snapshot(e.device);
  }

  decommission(id: string): Promise<Device> {
    const e = this.entry(id);
    if (e.device.state === 'decommissioned') return Promise.resolve(snapshot(e.device));
    e.decommissioning ??= (async () => {
      e.model?.stop();
      if (e.agent) {
        await e.agent.setTarget(false, true).catch((err) => this.deps.logger.debug({ device: id, err: err.message }, 'clean disconnect failed'));
        e.agent.destroy();
      }
      this.deps.broker.identities.delete(id);
      // a real device still connected with the revoked identity is shown the door
      if (e.device.connection === 'external') this.deps.broker.disconnect(id);
      e.agent = undefined;
      e.model = undefined;
      this.setState(e, 'decommissioned');
      this.deps.events.emit('device.decommissioned', { id, type: e.device.type });
      this.notify('decommissioned', e);
      return snapshot(e.device);
    })();
    return e.decommissioning;
  }

  /**
   * Run an action on every device a filter selects, as a job. Checked first, as a whole:
   * the update, and every id `filter.ids` names (unknown: 404; the action does not apply:
   * 409) — nothing happens unless all pass. Devices a filter selects without naming them
   * are skipped where the action does not apply (decommissioned; external for connect and
   * disconnect). `update` is one stored transaction, done before this returns; the others
   * are stored wishes (keptOffline) or per-device work whose outcome the job reports.
   */
  bulk(action: Exclude<JobAction, 'provision'>, filter: DeviceFilter, options: { update?: DeviceUpdate; expected?: boolean } = {}): Job {
    if (action === 'update') checkUpdate(options.update ?? {});
    const matches = compileFilter(filter);
    const targets: Entry[] = [];
    for (const e of this.entries.values()) if (matches(e.device)) targets.push(e);
    this.checkNamed(action, filter.ids);
    const applicable = (e: Entry) => !notApplicable(action, e.device);
    const work = targets.filter(applicable);
    // acquire before the job exists: a storage failure leaves no job and no change behind
    if (action === 'update') this.applyAll(work, options.update!);
    if (action === 'connect' || action === 'disconnect') this.keepOffline(work, action === 'disconnect');
    const job = this.jobs.create(action, targets.length);
    job.skipped(targets.length - work.length);
    if (action === 'update') {
      job.succeeded(work.length);
      job.finish();
      return job;
    }
    const limiter = new Limiter(this.deps.config.connectConcurrency);
    const one = async (e: Entry) => {
      try {
        if (action === 'decommission') await this.decommission(e.device.id);
        else if (action === 'connect') await this.connectEntry(e);
        else await this.disconnectEntry(e, options.expected ?? true);
        job.succeeded();
      } catch (err) {
        job.fail((err as Error).message, e.device.id);
      }
    };
    void Promise.all(work.map((e) => limiter.run(() => one(e)))).then(() => job.finish());
    return job;
  }

  /** Every id a bulk filter names must exist and take the action; else nothing happens. */
  private checkNamed(action: Exclude<JobAction, 'provision'>, ids: string[] | undefined): void {
    if (!ids) return;
    const unknown = ids.filter((id) => !this.entries.has(id));
    if (unknown.length) throw new FleetErrors.DEVICE_NOT_FOUND(unknown);
    const refused: Array<{ id: string; why: string }> = [];
    for (const id of new Set(ids)) {
      const why = notApplicable(action, this.entries.get(id)!.device);
      // decommissioning a decommissioned device is done already, not a mistake
      if (why && !(action === 'decommission' && why === 'decommissioned')) refused.push({ id, why });
    }
    if (refused.length) throw new FleetErrors.BULK_REFUSED(action, refused);
  }

  stats(): FleetStats {
    const byState = emptyStates();
    const byType: FleetStats['byType'] = {};
    let changing = 0;
    for (const { device, agent } of this.entries.values()) {
      if (agent?.changing) changing++;
      byState[device.state]++;
      const t = (byType[device.type] ??= { total: 0, ...emptyStates() });
      t.total++;
      t[device.state]++;
    }
    return {
      total: this.entries.size,
      byState,
      byType,
      connected: byState.active,
      connecting: this.limiter.pending,
      changing,
      counters: { ...this.counters },
      jobs: { running: this.jobs.running() },
    };
  }

  /**
   * Start simulating: follow external devices through the broker, and connect every
   * simulated device (autoConnect). Resolves when they are all connected, or after
   * startWaitMs of real time with the rest still connecting in the background.
   */
  async start(): Promise<void> {
    this.started = true;
    this.unsubscribers.push(
      followExternalDevices(this.deps.broker, this.deps.events, {
        isExternal: (id) => {
          const device = this.entries.get(id)?.device;
          return device?.connection === 'external' && device.state !== 'decommissioned';
        },
        connected: (id) => this.onConnected(id),
        disconnected: (id, expected) => this.onDisconnected(id, expected),
      }),
    );
    if (!this.deps.config.autoConnect) return;
    const failuresBefore = this.counters.connectFailures;
    const connecting: Promise<void>[] = [];
    // a device the admin API took offline stays offline until it is connected again
    for (const e of this.entries.values()) if (e.agent && !e.device.keptOffline) connecting.push(this.connectQuietly(e));
    await Promise.race([Promise.all(connecting), realDelay(this.deps.config.startWaitMs)]);
    const failed = this.counters.connectFailures - failuresBefore;
    if (failed > 0) this.deps.logger.warn({ failed, devices: connecting.length }, 'some devices could not connect at start (see device.connected events and GET /__admin/fleet/stats)');
  }

  /** Disconnect every device cleanly within a grace period, then drop the stragglers. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    const closing: Promise<void>[] = [];
    for (const e of this.entries.values()) {
      e.model?.stop();
      if (e.agent?.online) closing.push(e.agent.setTarget(false, true).catch(() => undefined));
    }
    await Promise.race([Promise.all(closing), realDelay(STOP_GRACE_MS)]);
    for (const e of this.entries.values()) e.agent?.destroy();
    this.deps.store.close();
  }

  // ---- internals ----

  private add(device: Device): Entry {
    const e: Entry = { device };
    this.entries.set(device.id, e);
    if (device.state === 'decommissioned') return e;
    this.deps.broker.identities.set(device.id, device.credentials.password);
    e.agent = this.createAgent(device);
    const { connectivity } = resolveDeviceType(this.deps.config.deviceTypes[device.type]);
    if (e.agent && connectivity.model === 'intermittent') {
      const agent = e.agent;
      e.model = new ConnectivityModel(this.deps.clock, this.deps.random.fork(`connectivity:${device.id}`), connectivity, (t) => {
        agent.setTarget(t.online, t.online || t.expected).catch((err) => this.deps.logger.debug({ device: device.id, err: err.message }, 'model step failed'));
      });
    }
    return e;
  }

  private createAgent(device: Device): SimulatedDevice | undefined {
    const { broker, config } = this.deps;
    if (device.connection === 'inprocess') return new InprocessDevice(device.id, this.env, broker);
    if (device.connection === 'external') return undefined;
    return new MqttDevice(device.id, this.env, {
      url: () => config.brokerUrl ?? broker.url,
      password: device.credentials.password,
      keepaliveSeconds: config.keepaliveSeconds,
      reconnectPeriodMs: config.reconnectPeriodMs,
      connectTimeoutMs: config.connectTimeoutMs,
    });
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new FleetErrors.DEVICE_NOT_FOUND(id);
    return e;
  }

  /** A device Understudy connects itself, for connect/disconnect. */
  private simulated(id: string, what: string): Entry {
    const e = this.entry(id);
    if (e.device.state === 'decommissioned') throw new FleetErrors.DECOMMISSIONED(id, what);
    if (!e.agent) throw new FleetErrors.NOT_SIMULATED(id);
    return e;
  }

  private connectEntry(e: Entry): Promise<void> {
    e.model?.start();
    return e.agent!.setTarget(true);
  }

  private disconnectEntry(e: Entry, expected: boolean): Promise<void> {
    e.model?.stop();
    return e.agent!.setTarget(false, expected);
  }

  /** Store the wish to keep devices offline (or not) before acting on it; one transaction. */
  private keepOffline(entries: Entry[], keep: boolean): void {
    const changed = entries.filter((e) => (e.device.keptOffline ?? false) !== keep);
    if (changed.length === 0) return;
    this.deps.store.saveNow(changed.map((e) => withKeptOffline(e.device, keep)));
    for (const e of changed) {
      if (keep) e.device.keptOffline = true;
      else delete e.device.keptOffline;
    }
  }

  private connectQuietly(e: Entry): Promise<void> {
    return this.connectEntry(e).catch((err) => this.deps.logger.debug({ device: e.device.id, err: err.message }, 'device could not connect'));
  }

  /** Apply one update to devices: stored in one transaction first, then applied and announced. */
  private applyAll(entries: Entry[], update: DeviceUpdate): void {
    const updated = entries.map((e) => updatedDevice(e.device, update));
    this.deps.store.saveNow(updated);
    entries.forEach((e, i) => {
      // in place: the store's batch of state changes may hold this very object
      e.device.metadata = updated[i].metadata;
      e.device.firmware = updated[i].firmware;
      this.deps.events.emit('device.updated', { id: e.device.id, ...update });
      this.notify('updated', e);
    });
  }

  private setState(e: Entry, state: DeviceState): void {
    e.device.state = state;
    e.device.lastSeenAt = this.deps.clock.now();
    this.deps.store.save(e.device);
  }

  private onConnected(id: string): void {
    const e = this.entries.get(id);
    if (!e || e.device.state === 'decommissioned') return;
    this.counters.connects++;
    this.setState(e, 'active');
    this.deps.events.emit('device.connected', { id });
    this.notify('connected', e);
  }

  private onDisconnected(id: string, expected: boolean): void {
    const e = this.entries.get(id);
    if (!e || e.device.state !== 'active') return;
    if (expected) this.counters.expectedDisconnects++;
    else this.counters.unexpectedDisconnects++;
    this.setState(e, 'offline');
    this.deps.events.emit('device.disconnected', { id, expected });
    this.notify('disconnected', e, expected);
  }

  private notify(kind: DeviceChange['kind'], e: Entry, expected = true): void {
    if (this.listeners.size === 0) return;
    const device = snapshot(e.device);
    const change = (kind === 'disconnected' ? { kind, device, expected } : { kind, device }) as DeviceChange;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.deps.logger.error({ err }, 'a fleet watcher threw');
      }
    }
  }
}

/** The device with an update applied, as a new record (the original is untouched). */
function updatedDevice(device: Device, update: DeviceUpdate): Device {
  const metadata = { ...device.metadata };
  for (const [key, value] of Object.entries(update.metadata ?? {})) {
    if (value === null) delete metadata[key];
    else metadata[key] = value;
  }
  return { ...device, metadata, firmware: update.firmware ?? device.firmware };
}

function withKeptOffline(device: Device, keep: boolean): Device {
  const copy: Device = { ...device };
  if (keep) copy.keptOffline = true;
  else delete copy.keptOffline;
  return copy;
}

/** Why an action does not apply to a device, or undefined when it does. */
function notApplicable(action: Exclude<JobAction, 'provision'>, device: Device): string | undefined {
  if (device.state === 'decommissioned') return 'decommissioned';
  if (device.connection === 'external' && (action === 'connect' || action === 'disconnect')) return 'external: your own client connects it';
  return undefined;
}

function checkUpdate(update: DeviceUpdate): void {
  if (update.metadata === undefined && update.firmware === undefined) throw new FleetErrors.BAD_UPDATE('Nothing to update');
  if (update.firmware !== undefined && (typeof update.firmware !== 'string' || update.firmware.length === 0)) {
    throw new FleetErrors.BAD_UPDATE('firmware must be a non-empty string');
  }
  for (const [key, value] of Object.entries(update.metadata ?? {})) {
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      throw new FleetErrors.BAD_UPDATE(`metadata.${key} must be a string, number, boolean or null`);
    }
  }
}
