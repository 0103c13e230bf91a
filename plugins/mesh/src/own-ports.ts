// Services with `port:` also listen on a port of their own. A plain node:http server
// per service: it only turns requests into exchanges, so fastify would add nothing. The
// kernel's writeExchange answers, so a connection fault breaks the connection exactly as
// it does on the main port; readBody reads a request under the body limit every
// listener shares (`server.bodyLimit`), and writeError answers a larger one 413
// `US_BODY_TOO_LARGE` in the control plane's error shape and closes the connection.
//
// A topology change is a transaction (see store.ts): `prepare` binds every port the new
// topology needs that is not bound yet — before anything else changes — and either
// returns a plan to commit or, when one port cannot be bound, closes what it opened and
// throws a coded 409. Commit hands ports over and closes the ones no longer wanted, so a
// service moved from port A to port B keeps answering on A until B is bound.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, writeError, writeExchange, type Dispatcher } from '@understudy/plugin-sdk';
import { MeshErrors } from './errors.js';
import type { Topology } from './topology/model.js';

/** One own-port server. `service` and `requested` change when a port is handed over. */
interface Listening {
  service: string;
  /** The configured port (0 = any). */
  requested: number;
  server: Server;
  /** The port actually bound. */
  port: number;
  /** Requests wait here until the change that opened the server is committed (true) or aborted (false). */
  live: Promise<boolean>;
  open?: (live: boolean) => void;
}

/** A prepared change of the own ports: bound, not yet visible. */
export interface PortPlan {
  /** The port `service` listens on once the plan is committed. */
  portOf(service: string): number | undefined;
  /** Make it so: hand over and open the new servers, then close those no longer wanted. Never fails. */
  commit(): Promise<void>;
  /** Close the servers this plan opened; the current ones are untouched. */
  abort(): Promise<void>;
}

export interface OwnPortsDeps {
  dispatch: Dispatcher;
  /** The kernel's listening host (own ports bind there too). */
  host(): string;
  /** The main port, to name it when a service asks for it. */
  mainPort(): number;
  /** `server.bodyLimit`: the largest request body in bytes. */
  bodyLimit: number;
}

const OPEN = Promise.resolve(true);

export class OwnPorts {
  private servers = new Map<string, Listening>();

  constructor(private readonly deps: OwnPortsDeps) {}

  /** The port a service actually listens on, if it has its own. */
  portOf(service: string): number | undefined {
    return this.servers.get(service)?.port;
  }

  /**
   * Bind what `topology` needs: a service whose `port` is unchanged keeps its server; a
   * fixed port one of the current servers holds and gives up is handed over (two
   * services swapping ports); every other one is bound now. Throws 409
   * `US_MESH_PORT_IN_USE` (or `US_MESH_PORT_UNAVAILABLE`) with nothing left open.
   */
  async prepare(topology: Topology): Promise<PortPlan> {
    const wanted = [...topology.services.values()].filter((s) => s.port !== undefined) as Array<{ name: string; port: number }>;
    const next = new Map<string, { listening: Listening; requested: number }>();
    const kept = new Set<Listening>();
    for (const { name, port } of wanted) {
      const current = this.servers.get(name);
      if (current && current.requested === port) {
        next.set(name, { listening: current, requested: port });
        kept.add(current);
      }
    }
    // fixed ports held by a server whose service gives them up: handed over, never rebound
    const releasing = new Map<number, Listening>();
    for (const l of this.servers.values()) if (!kept.has(l)) releasing.set(l.port, l);
    for (const { name, port } of wanted) {
      if (next.has(name) || port === 0) continue;
      const held = releasing.get(port);
      if (!held) continue;
      releasing.delete(port);
      kept.add(held);
      next.set(name, { listening: held, requested: port });
    }
    const opened: Listening[] = [];
    try {
      for (const { name, port } of wanted) {
        if (next.has(name)) continue;
        const listening = await this.listen(name, port);
        opened.push(listening);
        next.set(name, { listening, requested: port });
      }
    } catch (err) {
      await Promise.all(opened.map((l) => this.close(l, false)));
      throw err;
    }
    let done = false;
    return {
      portOf: (service) => next.get(service)?.listening.port,
      commit: async () => {
        if (done) return;
        done = true;
        const previous = [...this.servers.values()];
        for (const [name, { listening, requested }] of next) Object.assign(listening, { service: name, requested });
        this.servers = new Map([...next].map(([name, { listening }]) => [name, listening]));
        for (const l of opened) l.open?.(true);
        await Promise.all(previous.filter((l) => !kept.has(l)).map((l) => this.close(l, true)));
      },
      abort: async () => {
        if (done) return;
        done = true;
        await Promise.all(opened.map((l) => this.close(l, false)));
      },
    };
  }

  async closeAll(): Promise<void> {
    const all = [...this.servers.values()];
    this.servers = new Map();
    await Promise.all(all.map((l) => this.close(l, true)));
  }

  /** Who holds `port` among what we know: the main port or another service's own port. */
  private holderOf(port: number): string | undefined {
    if (port === this.deps.mainPort()) return "Understudy's main port";
    for (const l of this.servers.values()) if (l.port === port) return `the own port of service "${l.service}"`;
    return undefined;
  }

  /** Bind a server for `service` on `requested`; its requests wait until the change is committed. */
  private async listen(service: string, requested: number): Promise<Listening> {
    const { dispatch, bodyLimit } = this.deps;
    const host = this.deps.host();
    let open!: (live: boolean) => void;
    const listening: Listening = { service, requested, port: 0, server: undefined as never, live: new Promise((resolve) => (open = resolve)) };
    listening.open = (live) => {
      listening.open = undefined;
      listening.live = live ? OPEN : Promise.resolve(false);
      open(live);
    };
    listening.server = createServer((req, res) => {
      readBody(req, bodyLimit)
        .then(async (body) => {
          if (!(await listening.live)) return void res.socket?.destroy();
          const ex = await dispatch({ protocol: 'http', service: listening.service, request: { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: body.toString('utf8') } });
          writeExchange(res, ex);
        })
        .catch((err: unknown) => writeError(res, err));
    });
    await new Promise<void>((resolve, reject) => {
      listening.server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new MeshErrors.PORT_IN_USE(service, requested, this.holderOf(requested))
            : new MeshErrors.PORT_UNAVAILABLE(service, requested, host, `${err.code ?? 'error'} ${err.message}`),
        ),
      );
      listening.server.listen(requested, host, () => resolve());
    });
    listening.port = (listening.server.address() as AddressInfo).port;
    return listening;
  }

  private async close(listening: Listening, committed: boolean): Promise<void> {
    if (!committed) listening.open?.(false);
    listening.server.closeAllConnections();
    await new Promise<void>((resolve) => listening.server.close(() => resolve()));
  }
}
