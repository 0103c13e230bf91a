// Eureka's REST API (what eureka-js-client and Spring's DiscoveryClient use); the plugin
// mounts these routes under /eureka and /eureka/v2 with ctx.routes. Eureka answers an
// unknown app or instance with an empty 404; each carries x-understudy-code.
import { type AdminApp, type AdminReply, readJsonWhateverTheType } from '@understudy/plugin-sdk';
import { DiscoveryErrors, invalid } from '../errors.js';
import type { Registry } from '../registry.js';
import type { RegisteredInstance } from '../contract.js';
import { codeHeaderOnErrors, CODE_HEADER } from '../wire-errors.js';
import { fromEurekaBody } from './register-body.js';
import { application, appsHashcode, type EurekaInfo, healthOf, instanceInfo, isEurekaStatus } from './shapes.js';

type Params = { app: string; instanceId: string };

export interface EurekaDeps {
  registry: Registry;
  leaseDurationMs: number;
}

/** The side store of what Eureka clients sent, shared by both prefixes. */
export function eurekaState(registry: Registry): Map<string, EurekaInfo> {
  const infos = new Map<string, EurekaInfo>();
  registry.onRemoved((instance) => infos.delete(instance.id));
  return infos;
}

export function eurekaRoutes({ registry, leaseDurationMs }: EurekaDeps, infos: Map<string, EurekaInfo>) {
  const render = (i: RegisteredInstance) => instanceInfo(i, infos.get(i.id), leaseDurationMs);
  /** Eureka app names are case-insensitive (the server upper-cases them). */
  const find = (app: string, id: string) => {
    const instance = registry.get(id);
    return instance && instance.service.toUpperCase() === app.toUpperCase() ? instance : undefined;
  };
  const notFound = (reply: AdminReply) => reply.code(404).header(CODE_HEADER, DiscoveryErrors.INSTANCE_NOT_FOUND.code).send('');

  function applications() {
    const all = registry.all().map(render);
    const byApp = new Map<string, ReturnType<typeof render>[]>();
    for (const i of all) byApp.set(i.app, [...(byApp.get(i.app) ?? []), i]);
    return {
      applications: {
        versions__delta: String(registry.index),
        apps__hashcode: appsHashcode(all),
        application: [...byApp].map(([name, instances]) => application(name, instances)),
      },
    };
  }

  return async (app: AdminApp) => {
    readJsonWhateverTheType(app);
    codeHeaderOnErrors(app);

    app.get('/apps', async () => applications());
    app.get('/apps/', async () => applications());
    // no delta tracking: the delta is the whole registry, every instance ADDED
    app.get('/apps/delta', async () => applications());

    app.get<{ Params: { app: string } }>('/apps/:app', async (req, reply) => {
      const instances = registry.all().filter((i) => i.service.toUpperCase() === req.params.app.toUpperCase());
      if (instances.length === 0) return notFound(reply);
      return { application: application(req.params.app, instances.map(render)) };
    });

    app.post<{ Params: { app: string } }>('/apps/:app', async (req, reply) => {
      const { registration, options, info } = fromEurekaBody(req.params.app, req.body, leaseDurationMs);
      registry.register(registration, options);
      infos.set(registration.id, info);
      return reply.code(204).send();
    });

    app.get<{ Params: Params }>('/apps/:app/:instanceId', async (req, reply) => {
      const instance = find(req.params.app, req.params.instanceId);
      return instance ? { instance: render(instance) } : notFound(reply);
    });

    app.put<{ Params: Params }>('/apps/:app/:instanceId', async (req, reply) => {
      const instance = find(req.params.app, req.params.instanceId);
      if (!instance) return notFound(reply);
      registry.renew(instance.id);
      return reply.code(200).send('');
    });

    app.delete<{ Params: Params }>('/apps/:app/:instanceId', async (req, reply) => {
      const instance = find(req.params.app, req.params.instanceId);
      if (!instance) return notFound(reply);
      registry.deregister(instance.id);
      return reply.code(200).send('');
    });

    app.put<{ Params: Params; Querystring: { value?: string } }>('/apps/:app/:instanceId/status', async (req, reply) => {
      const { value } = req.query;
      if (!isEurekaStatus(value)) invalid('value', 'must be one of UP, DOWN, STARTING, OUT_OF_SERVICE, UNKNOWN');
      const instance = find(req.params.app, req.params.instanceId);
      if (!instance) return notFound(reply);
      const info = infos.get(instance.id) ?? { status: 'UP', instance: {}, leaseMs: leaseDurationMs };
      infos.set(instance.id, { ...info, overridden: value });
      registry.setHealth(instance.id, healthOf(value), value);
      return reply.code(200).send('');
    });

    app.delete<{ Params: Params; Querystring: { value?: string } }>('/apps/:app/:instanceId/status', async (req, reply) => {
      const instance = find(req.params.app, req.params.instanceId);
      if (!instance) return notFound(reply);
      const info = infos.get(instance.id) ?? { status: 'UP', instance: {}, leaseMs: leaseDurationMs };
      const status = isEurekaStatus(req.query.value) ? req.query.value : info.status;
      infos.set(instance.id, { ...info, overridden: undefined, status });
      registry.setHealth(instance.id, healthOf(status), status);
      return reply.code(200).send('');
    });
  };
}
