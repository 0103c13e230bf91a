// Who may connect, publish, subscribe and receive. aedes asks through its authenticate /
// authorizePublish / authorizeSubscribe / authorizeForward hooks; this module answers them,
// and the HTTP bridge asks it too, for the identity it publishes as.
//
// Each connection gets a principal at CONNECT: anonymous (no proven login), a device (its
// id and secret) or a user of `auth.users`. A login that names a known device or user must
// be right, with or without `auth.required` (as Mosquitto with `allow_anonymous` and a
// password file); an unknown name without `auth.required` is anonymous. Then, for every
// publish and subscription, the `acl` rules are checked in order — the first that matches
// decides — and when none does, the login's own filters decide under `auth.required`, and
// everything is allowed without it (a fresh Mosquitto). Rules are expanded for a principal
// once, at CONNECT, so a publish costs a walk over the few rules that concern it.
import type { AclRule, MqttConfig, MqttUser } from './config.js';
import type { Identities } from './contract.js';
import { MqttErrors } from './errors.js';
import { compileMatcher, filterCovers, isSafeLevel, isValidFilter, topicMatches } from './topics.js';

export type AccessDecision = { ok: true } | { ok: false; reason: string };

/** An aedes client as this module needs it. */
export interface Connection {
  readonly id: string;
}

/** Who a connection proved to be. */
export type PrincipalKind = 'anonymous' | 'device' | 'user';

interface Grant {
  publish: string[];
  subscribe: string[];
}

/** One rule as it applies to one principal: its topics with {id} and {username} filled in. */
interface BoundRule {
  allow: boolean;
  topics: string[];
  /** `topics` compiled for topic names (publishes, deliveries). */
  matches: (topic: string) => boolean;
  /** Its place in `plugins.mqtt.acl`, for the reason of a refusal. */
  index: number;
}

export interface Principal {
  readonly kind: PrincipalKind;
  readonly clientId: string;
  readonly username?: string;
  /** The login's own filters; they decide what no rule does under `auth.required`. */
  readonly grant?: Grant;
  /** Allowed when no rule decides, even under `auth.required` (the HTTP bridge: the admin API is its login). */
  readonly trusted?: boolean;
  readonly publishRules: BoundRule[];
  readonly subscribeRules: BoundRule[];
  /** A subscribe deny rule concerns it: every delivery is checked (a `#` must not carry a denied topic). */
  readonly readDenials: boolean;
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

/** Every problem of the rules that the schema cannot see (a topic that is no filter), with its path. */
export function aclProblems(rules: AclRule[]): string[] {
  const problems: string[] = [];
  rules.forEach((rule, i) =>
    rule.topics.forEach((topic, j) => {
      // placeholders stand for one whole level; checked as if filled in
      if (!isValidFilter(topic.replaceAll('{id}', 'x').replaceAll('{username}', 'x'))) {
        problems.push(`plugins.mqtt.acl[${i}].topics[${j}]: "${topic}" is not a topic filter (+ fills a whole level, # is the last one)`);
      }
    }),
  );
  return problems;
}

const applies = (rule: AclRule, kind: PrincipalKind, username: string | undefined) =>
  (rule.who === 'anyone' ||
    (rule.who === 'anonymous' && kind === 'anonymous') ||
    (rule.who === 'devices' && kind === 'device') ||
    (rule.who === 'users' && kind === 'user')) &&
  (rule.usernames === undefined || (username !== undefined && rule.usernames.includes(username)));

/** `topic` with its placeholders filled in, or undefined when a value is missing or is no single level. */
function bind(topic: string, clientId: string, username: string | undefined): string | undefined {
  let out = topic;
  if (out.includes('{id}')) {
    if (!isSafeLevel(clientId)) return undefined;
    out = out.replaceAll('{id}', clientId);
  }
  if (out.includes('{username}')) {
    if (!isSafeLevel(username)) return undefined;
    out = out.replaceAll('{username}', username);
  }
  return out;
}

export class AccessControl {
  readonly #required: boolean;
  readonly #users: Map<string, MqttUser>;
  readonly #devicePublish: string[];
  readonly #deviceSubscribe: string[];
  readonly #rules: AclRule[];
  /** No rule and no login required: everyone may do everything, without a lookup. */
  readonly #open: boolean;
  /** Keyed by connection, so a takeover of a client id keeps the new connection's principal. */
  readonly #principals = new WeakMap<Connection, Principal>();

  constructor(
    auth: MqttConfig['auth'],
    readonly identities: IdentityStore,
    acl: AclRule[] = [],
  ) {
    const problems = aclProblems(acl);
    if (problems.length) throw new MqttErrors.BAD_ACL(problems);
    this.#required = auth.required;
    this.#users = new Map(auth.users.map((u) => [u.username, u]));
    this.#devicePublish = auth.devicePublish;
    this.#deviceSubscribe = auth.deviceSubscribe;
    this.#rules = acl;
    this.#open = !this.#required && this.#rules.length === 0;
  }

  get required(): boolean {
    return this.#required;
  }

  /** CONNECT: a device logs in as itself (username = client id), a user with its password, anyone else anonymously (unless required). */
  authenticate(client: Connection, username: string | undefined, password: Buffer | undefined): AccessDecision {
    const clientId = client.id;
    if (username === undefined) {
      if (this.#required) return deny('no username (this broker requires a login)');
      this.#principals.set(client, this.#principal('anonymous', clientId));
      return OK;
    }
    const given = password?.toString('utf8') ?? '';
    const user = this.#users.get(username);
    if (user) {
      if (user.password !== given) return deny(`wrong password for user "${username}"`);
      this.#principals.set(client, this.#principal('user', clientId, username));
      return OK;
    }
    const secret = this.identities.secretOf(username);
    if (secret === undefined) {
      if (this.#required) return deny(`unknown device or user "${username}"`);
      this.#principals.set(client, this.#principal('anonymous', clientId)); // an unproven name
      return OK;
    }
    if (secret !== given) return deny(`wrong password for device "${username}"`);
    if (clientId !== username) return deny(`device "${username}" must connect with client id "${username}", not "${clientId}"`);
    this.#principals.set(client, this.#principal('device', clientId, username));
    return OK;
  }

  /**
   * The principal the HTTP bridge publishes as: a user of `auth.users` or a device id
   * (no password: the admin API is the login), or, without `as`, an anonymous one that
   * only the rules can refuse.
   */
  bridgePrincipal(as: string | undefined): Principal {
    if (as === undefined) return this.#principal('anonymous', '$bridge', undefined, true);
    if (this.#users.has(as)) return this.#principal('user', as, as);
    if (this.identities.has(as)) return this.#principal('device', as, as);
    throw new MqttErrors.UNKNOWN_IDENTITY(as, [...this.#users.keys()]);
  }

  /** The principal of a connection (anonymous when it never logged in). */
  principalOf(client: Connection): Principal {
    return this.#principals.get(client) ?? this.#principal('anonymous', client.id);
  }

  mayPublish(client: Connection, topic: string): AccessDecision {
    if (this.#open) return OK;
    return this.principalMayPublish(this.principalOf(client), topic);
  }

  principalMayPublish(who: Principal, topic: string): AccessDecision {
    for (const rule of who.publishRules) {
      if (rule.matches(topic)) {
        return rule.allow ? OK : deny(`${describe(who)} may not publish to "${topic}" (plugins.mqtt.acl[${rule.index}])`);
      }
    }
    return this.#fallback(who, who.grant?.publish.some((allowed) => topicMatches(allowed, topic)), `${describe(who)} may not publish to "${topic}"`);
  }

  maySubscribe(client: Connection, filter: string): AccessDecision {
    if (this.#open) return OK;
    const who = this.principalOf(client);
    // a rule decides a subscription it covers whole; a deny rule over part of it drops those deliveries (mayReceive)
    for (const rule of who.subscribeRules) {
      if (rule.topics.some((t) => filterCovers(t, filter))) {
        return rule.allow ? OK : deny(`${describe(who)} may not subscribe to "${filter}" (plugins.mqtt.acl[${rule.index}])`);
      }
    }
    return this.#fallback(who, who.grant?.subscribe.some((allowed) => filterCovers(allowed, filter)), `${describe(who)} may not subscribe to "${filter}"`);
  }

  /** A delivery of a message on `topic` to a subscriber; checked only when a deny rule concerns it. */
  mayReceive(client: Connection, topic: string): boolean {
    if (this.#open) return true;
    const who = this.#principals.get(client);
    if (!who?.readDenials) return true;
    for (const rule of who.subscribeRules) if (rule.matches(topic)) return rule.allow;
    return true;
  }

  #fallback(who: Principal, granted: boolean | undefined, reason: string): AccessDecision {
    if (!this.#required || who.trusted || granted) return OK;
    return deny(reason);
  }

  #principal(kind: PrincipalKind, clientId: string, username?: string, trusted = false): Principal {
    const publishRules: BoundRule[] = [];
    const subscribeRules: BoundRule[] = [];
    this.#rules.forEach((rule, index) => {
      if (!applies(rule, kind, username)) return;
      const topics = rule.topics.map((t) => bind(t, clientId, username)).filter((t): t is string => t !== undefined);
      if (topics.length === 0) return;
      const matchers = topics.map(compileMatcher);
      const matches = matchers.length === 1 ? matchers[0] : (topic: string) => matchers.some((m) => m(topic));
      const bound = { allow: rule.permission === 'allow', topics, matches, index };
      if (rule.action !== 'subscribe') publishRules.push(bound);
      if (rule.action !== 'publish') subscribeRules.push(bound);
    });
    return {
      kind,
      clientId,
      ...(username !== undefined && { username }),
      ...(this.#required && { grant: this.#grantOf(kind, clientId, username) }),
      ...(trusted && { trusted }),
      publishRules,
      subscribeRules,
      readDenials: subscribeRules.some((r) => !r.allow),
    };
  }

  #grantOf(kind: PrincipalKind, clientId: string, username: string | undefined): Grant | undefined {
    if (kind === 'user') {
      const user = this.#users.get(username!)!;
      return { publish: user.publish, subscribe: user.subscribe };
    }
    if (kind !== 'device') return undefined;
    const own = (pattern: string) => pattern.replaceAll('{id}', clientId);
    return { publish: this.#devicePublish.map(own), subscribe: this.#deviceSubscribe.map(own) };
  }
}

function describe(who: Principal): string {
  return who.trusted ? 'the HTTP bridge' : `client "${who.clientId}"`;
}
