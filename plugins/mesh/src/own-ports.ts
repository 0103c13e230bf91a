// Services with `port:` also listen on a port of their own. A plain node:http server
// per service: it only turns requests into exchanges, so fastify would add nothing. The
// kernel's writeExchange answers, so a connection fault breaks the connection exactly as
// it does on the main port.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeExchange, type Dispatcher } from '@understudy/plugin-sdk';
import type { Topology } from './topology/model.js';

interface Listening {
  requested: number;
  server: Server;
  port: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class OwnPorts {
  private readonly servers = new Map<string, Listening>();

  constructor(
    private readonly dispatch: Dispatcher,
    private readonly host: () => string,
  ) {}

  /** The port a service actually listens on, if it has its own. */
  portOf(service: string): number | undefined {
    return this.servers.get(service)?.port;
  }

  /** Open servers for new `port:` services, close those removed or moved. */
  async sync(topology: Topology): Promise<void> {
    for (const [name, listening] of this.servers) {
      const port = topology.services.get(name)?.port;
      if (port !== listening.requested) await this.close(name);
    }
    for (const service of topology.services.values()) {
      if (service.port !== undefined && !this.servers.has(service.name)) await this.open(service.name, service.port);
    }
  }

  async closeAll(): Promise<void> {
    for (const name of [...this.servers.keys()]) await this.close(name);
  }

  private async open(service: string, requested: number): Promise<void> {
    const server = createServer((req, res) => {
      readBody(req)
        .then((body) =>
          this.dispatch({ protocol: 'http', service, request: { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body } }),
        )
        .then((ex) => writeExchange(res, ex), () => res.socket?.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(requested, this.host(), () => resolve());
    });
    this.servers.set(service, { requested, server, port: (server.address() as AddressInfo).port });
  }

  private async close(name: string): Promise<void> {
    const listening = this.servers.get(name)!;
    this.servers.delete(name);
    listening.server.closeAllConnections();
    await new Promise<void>((resolve) => listening.server.close(() => resolve()));
  }
}
