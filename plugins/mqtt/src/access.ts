// Who may connect, publish and subscribe. aedes asks through its authenticate /
// authorizePublish / authorizeSubscribe hooks; this module answers them. Without
// `auth.required` everyone may do everything, as on a fresh Mosquitto.
import type { MqttConfig, MqttUser } from './config.js';
import type { Identities } from './contract.js';
import { filterCovers, topicMatches } from './topics.js';

export type AccessDecision = { ok: true } | { ok: false; reason: string };

/** An aedes client as this module needs it. */
export interface Connection {
  readonly id: string;
}

interface Grant {
  publish: string[];
  subscribe: string[];
}

const OK: AccessDecision = { ok: true };
const deny = (reason: string): AccessDecision => ({ ok: false, reason });

/** Device secrets by client id; the fleet sets them as it provisions devices. */
export class IdentityStore implements Identities {
  readonly #secrets = new Map<string, string>();
  set(clientId: string, secret: string): void {
    this.#secrets.set(clientId, secret);
  }
  delete(clientId: string): void {
    this.#secrets.delete(clientId);
  }
  has(clientId: string): boolean {
    return this.#secrets.has(clientId);
  }
  secretOf(clientId: string): string | undefined {
    return this.#secrets.get(clientId);
  }
}

export class AccessControl {
  readonly #required: boolean;
  readonly #users: Map<string, MqttUser>;
  readonly #devicePublish: string[];
  readonly #deviceSubscribe: string[];
  /** What each logged-in connection may do; keyed by connection, so a takeover of a client id keeps the new grant. */
  readonly #grants = new WeakMap<Connection, Grant>();

  constructor(
    auth: MqttConfig['auth'],
    readonly identities: IdentityStore,
  ) {
    this.#required = auth.required;
    this.#users = new Map(auth.users.map((u) => [u.username, u]));
    this.#devicePublish = auth.devicePublish;
    this.#deviceSubscribe = auth.deviceSubscribe;
  }

  get required(): boolean {
    return this.#required;
  }

  /** CONNECT: a device logs in as itself (username = client id), a user with its password. */
  authenticate(client: Connection, username: string | undefined, password: Buffer | undefined): AccessDecision {
    if (!this.#required) return OK;
    const clientId = client.id;
    if (username === undefined) return deny('no username (this broker requires a login)');
    const given = password?.toString('utf8') ?? '';
    const user = this.#users.get(username);
    if (user) {
      if (user.password !== given) return deny(`wrong password for user "${username}"`);
      this.#grants.set(client, { publish: user.publish, subscribe: user.subscribe });
      return OK;
    }
    const secret = this.identities.secretOf(username);
    if (secret === undefined) return deny(`unknown device or user "${username}"`);
    if (secret !== given) return deny(`wrong password for device "${username}"`);
    if (clientId !== username) return deny(`device "${username}" must connect with client id "${username}", not "${clientId}"`);
    const own = (pattern: string) => pattern.replaceAll('{id}', clientId);
    this.#grants.set(client, { publish: this.#devicePublish.map(own), subscribe: this.#deviceSubscribe.map(own) });
    return OK;
  }

  mayPublish(client: Connection, topic: string): AccessDecision {
    if (!this.#required) return OK;
    const grant = this.#grants.get(client);
    if (grant?.publish.some((allowed) => topicMatches(allowed, topic))) return OK;
    return deny(`client "${client.id}" may not publish to "${topic}"`);
  }

  maySubscribe(client: Connection, filter: string): AccessDecision {
    if (!this.#required) return OK;
    const grant = this.#grants.get(client);
    if (grant?.subscribe.some((allowed) => filterCovers(allowed, filter))) return OK;
    return deny(`client "${client.id}" may not subscribe to "${filter}"`);
  }
}
