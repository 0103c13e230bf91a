// Modes: the global one (config, replaced through the admin API) and one per endpoint key,
// persisted through `learner.settings` under `proxy.modes` so they survive a restart. An
// edit is checked whole, then applied and written in one step (atomic). Per request,
// X-Mock-Enabled decides before any of them.
import type { LearnerSettings } from '@understudy/plugin-learner';
import { MODES, type Mode } from './config.js';
import { keyMatches, normalKey, parseKey, type ParsedKey } from './endpoint-key.js';
import { ProxyErrors } from './errors.js';

export const MODES_SETTING = 'proxy.modes';

export interface ModesView {
  /** The mode in force. */
  mode: Mode;
  /** The config's mode (what `mode: null` returns to). */
  configMode: Mode;
  endpoints: Record<string, Mode>;
}

export interface ModesEdit {
  mode?: Mode | null;
  endpoints?: Record<string, Mode | null>;
}

interface Persisted {
  mode?: Mode;
  endpoints?: Record<string, Mode>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class Modes {
  private global: Mode | undefined;
  /** Endpoint key as written → its mode and parsed form. */
  private endpoints = new Map<string, { mode: Mode; parsed: ParsedKey }>();
  /** Normal form → mode, for learned keys (param names ignored). */
  private byNormal = new Map<string, Mode>();

  constructor(
    private readonly configMode: Mode,
    private readonly settings: () => LearnerSettings,
  ) {}

  get mode(): Mode {
    return this.global ?? this.configMode;
  }

  view(): ModesView {
    return { mode: this.mode, configMode: this.configMode, endpoints: Object.fromEntries([...this.endpoints].map(([k, v]) => [k, v.mode])) };
  }

  /**
   * The mode of one request's endpoint: its learned key when the learner knows it, else
   * the first endpoint mode whose template matches the path; undefined = the global mode.
   */
  endpointMode(learnedKey: string | undefined, method: string, path: string): Mode | undefined {
    if (this.endpoints.size === 0) return undefined;
    if (learnedKey !== undefined) return this.byNormal.get(normalKey(learnedKey));
    for (const { mode, parsed } of this.endpoints.values()) if (keyMatches(parsed, method, path)) return mode;
    return undefined;
  }

  /** Load what was persisted (at start). A damaged value is ignored rather than stopping the proxy. */
  async load(): Promise<void> {
    const saved = await this.settings().get<Persisted>(MODES_SETTING);
    if (!isObj(saved)) return;
    try {
      this.apply(this.check({ mode: saved.mode ?? null, endpoints: saved.endpoints ?? {} }, true), true);
    } catch {
      // a value written by another version: keep the config's modes
    }
  }

  /** PATCH: change what the edit names (`null` removes). */
  async patch(body: unknown): Promise<ModesView> {
    return this.commit(this.check(body, false), false);
  }

  /** PUT: the whole set (what it does not name is removed). */
  async replace(body: unknown): Promise<ModesView> {
    const edit = this.check(body, false);
    return this.commit({ mode: edit.mode ?? null, endpoints: edit.endpoints ?? {} }, true);
  }

  private async commit(edit: ModesEdit, whole: boolean): Promise<ModesView> {
    const before = { global: this.global, endpoints: new Map(this.endpoints), byNormal: new Map(this.byNormal) };
    this.apply(edit, whole);
    try {
      await this.settings().set(MODES_SETTING, this.persisted());
    } catch (err) {
      // not written, not applied
      ({ global: this.global, endpoints: this.endpoints, byNormal: this.byNormal } = before);
      throw err;
    }
    return this.view();
  }

  private persisted(): Persisted {
    const v = this.view();
    return { ...(this.global ? { mode: this.global } : {}), endpoints: v.endpoints };
  }

  private check(body: unknown, loading: boolean): ModesEdit {
    const problems: string[] = [];
    if (!isObj(body)) throw new ProxyErrors.INVALID('modes', ['(root): must be an object like { "mode": "spy", "endpoints": { "GET /users/{userId}": "simulate" } }']);
    for (const k of Object.keys(body)) if (k !== 'mode' && k !== 'endpoints') problems.push(`${k}: unknown property (mode, endpoints)`);
    const modeOk = (v: unknown) => v === null || MODES.includes(v as Mode);
    if (body.mode !== undefined && !modeOk(body.mode)) problems.push(`mode: must be one of ${MODES.join(', ')} (or null for the config's)`);
    if (body.endpoints !== undefined) {
      if (!isObj(body.endpoints)) problems.push('endpoints: must be an object of endpoint key → mode');
      else
        for (const [key, mode] of Object.entries(body.endpoints)) {
          const parsed = parseKey(key);
          if (typeof parsed === 'string') problems.push(`endpoints["${key}"]: ${parsed}`);
          if (!modeOk(mode) || (loading && mode === null)) problems.push(`endpoints["${key}"]: must be one of ${MODES.join(', ')} (or null to remove)`);
        }
    }
    if (problems.length) throw new ProxyErrors.INVALID('modes', problems);
    return body as ModesEdit;
  }

  private apply(edit: ModesEdit, whole: boolean): void {
    if (edit.mode !== undefined) this.global = edit.mode ?? undefined;
    if (whole) this.endpoints.clear();
    for (const [key, mode] of Object.entries(edit.endpoints ?? {})) {
      const parsed = parseKey(key) as ParsedKey;
      const k = `${parsed.method} ${parsed.path}`; // one spelling per key: GET, not get
      if (mode === null) this.endpoints.delete(k);
      else this.endpoints.set(k, { mode, parsed });
    }
    this.byNormal = new Map([...this.endpoints].map(([k, v]) => [normalKey(k), v.mode]));
  }
}
