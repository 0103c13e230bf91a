// The link to OBS Studio through obs-websocket v5 (obs-websocket-js 5.0.8, its JSON
// protocol). It connects (Hello → Identify with the password's challenge answer →
// Identified), sends StartRecord / StopRecord / CreateRecordChapter, and when OBS is
// absent, refuses the password, closes, or refuses a request, it says so — status, one
// warning in the log and a `recorder.obsFallback` event — and the recorder goes on with
// its files. Every wait is bounded on the kernel clock: obs-websocket-js waits forever
// for an answer that never comes (a request pending when the socket closes never settles).
import { OBSWebSocket, EventSubscription } from 'obs-websocket-js/json';
import type { Clock, PluginContext, PluginEvents } from '@understudy/plugin-sdk';

type Logger = PluginContext['logger'];
import type { ObsConfig } from './config.js';
import type { ObsStatus } from './contract.js';

/** obs-websocket's close codes that say why it would not talk to us (WebSocketCloseCode). */
const CLOSE_REASONS: Record<number, string> = {
  4008: 'OBS says the client did not identify in time',
  4009: 'OBS refused the password (authentication failed)',
  4010: 'OBS does not speak this RPC version',
  4011: 'OBS kicked this client',
};

interface Deps {
  clock: Clock;
  logger: Logger;
  events: PluginEvents;
}

const errorCode = (err: unknown) => (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : undefined);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err)) || 'no message';

export class ObsLink {
  readonly status: ObsStatus;
  private client: OBSWebSocket | undefined;
  private connecting: Promise<boolean> | undefined;

  constructor(
    private readonly config: ObsConfig | undefined,
    private readonly deps: Deps,
  ) {
    this.status = config
      ? { state: 'unavailable', url: config.url, reason: 'not connected yet', recording: false, requests: 0, failures: 0 }
      : { state: 'disabled', reason: 'OBS is not configured (plugins.recorder.obs)', recording: false, requests: 0, failures: 0 };
  }

  get connected(): boolean {
    return this.status.state === 'connected';
  }

  /** Connect unless connected; true when OBS is there. Concurrent calls share one attempt. */
  connect(): Promise<boolean> {
    if (!this.config) return Promise.resolve(false);
    if (this.connected) return Promise.resolve(true);
    this.connecting ??= this.attempt(this.config).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async attempt(config: ObsConfig): Promise<boolean> {
    this.status.state = 'connecting';
    const client = new OBSWebSocket();
    this.client = client;
    try {
      const hello = await this.bounded(
        client.connect(config.url, config.password, { rpcVersion: 1, eventSubscriptions: EventSubscription.None }),
        config.connectTimeoutMs,
        'connecting',
      );
      client.on('ConnectionClosed', (err) => {
        if (this.client !== client) return;
        this.client = undefined;
        this.status.recording = false;
        this.fallback(`OBS closed the connection (${err.code}${err.message ? ` ${err.message}` : ''})`, { code: err.code });
      });
      this.status.state = 'connected';
      this.status.reason = undefined;
      this.deps.logger.info({ url: config.url, obsWebSocketVersion: hello.obsWebSocketVersion }, 'recorder: connected to OBS');
      this.deps.events.emit('recorder.obsConnected', { url: config.url, obsWebSocketVersion: hello.obsWebSocketVersion, rpcVersion: hello.negotiatedRpcVersion });
      return true;
    } catch (err) {
      this.client = undefined;
      void client.disconnect().catch(() => undefined);
      const code = errorCode(err);
      const why =
        ((err as { timedOut?: boolean }).timedOut && `OBS at ${config.url} did not identify us`) ||
        (code !== undefined && CLOSE_REASONS[code]) ||
        (code === -1 || code === 1006 ? `OBS is not reachable at ${config.url}` : `OBS did not accept the connection to ${config.url}`);
      const hint = code === 4009 ? (config.password ? '; check plugins.recorder.obs.password' : '; set plugins.recorder.obs.password') : '';
      this.fallback(`${why} (${code ?? ''}${code === undefined ? '' : ' '}${message(err)})${hint}`, { code });
      return false;
    }
  }

  /** Send a request; undefined when OBS is not connected or refused it (said so, counted). */
  async request(type: 'StartRecord' | 'StopRecord' | 'CreateRecordChapter', data?: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const client = this.client;
    if (!client || !this.connected) return undefined;
    this.status.requests++;
    try {
      const res = (await this.bounded(client.call(type, data as never), this.config!.requestTimeoutMs, type)) as Record<string, unknown> | undefined;
      return res ?? {};
    } catch (err) {
      this.status.failures++;
      const code = errorCode(err);
      const timedOut = (err as { timedOut?: boolean }).timedOut === true;
      this.status.lastError = { request: type, ...(!timedOut && { code }), message: message(err), at: this.deps.clock.now() };
      this.fallback(timedOut ? `OBS did not answer ${type} (${message(err)})` : `OBS refused ${type} (${code ?? 'no code'}: ${message(err)})`, { request: type, ...(!timedOut && { code }) });
      return undefined;
    }
  }

  async startRecording(): Promise<boolean> {
    const ok = (await this.request('StartRecord')) !== undefined;
    if (ok) this.status.recording = true;
    return ok;
  }

  /** The file OBS wrote, when it stopped. */
  async stopRecording(): Promise<string | undefined> {
    const res = await this.request('StopRecord');
    if (res) this.status.recording = false;
    return typeof res?.outputPath === 'string' ? res.outputPath : undefined;
  }

  async chapter(name: string): Promise<boolean> {
    return (await this.request('CreateRecordChapter', { chapterName: name })) !== undefined;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (this.config) this.status.state = 'unavailable';
    this.status.reason = this.config ? 'the recorder stopped' : this.status.reason;
    if (client) await this.bounded(client.disconnect(), this.config!.requestTimeoutMs, 'disconnecting').catch(() => undefined);
  }

  /** Say once, in status, log and event, that the files are the record now. */
  private fallback(reason: string, extra: { request?: string; code?: number }): void {
    if (!extra.request) {
      this.status.state = 'unavailable';
      this.status.reason = reason;
      this.status.lastError = { code: extra.code, message: reason, at: this.deps.clock.now() };
    }
    this.deps.logger.warn({ url: this.config?.url, ...extra }, `recorder: ${reason}; markers go to the WebVTT and JSON files`);
    this.deps.events.emit('recorder.obsFallback', { reason, url: this.config?.url, ...(extra.request && { request: extra.request }), ...(extra.code !== undefined && { code: extra.code }) });
  }

  /** A promise that gives up after `ms` of kernel time. */
  private bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.deps.clock.setTimeout(() => reject(Object.assign(new Error(`no answer from OBS within ${ms} ms (${what})`), { timedOut: true })), ms);
      promise.then(
        (v) => {
          this.deps.clock.clearTimeout(timer);
          resolve(v);
        },
        (e) => {
          this.deps.clock.clearTimeout(timer);
          reject(e);
        },
      );
    });
  }
}
