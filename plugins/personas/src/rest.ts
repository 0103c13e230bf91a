// The REST API per industry, answered at Stage.Respond on the main port (so chaos,
// tracing and the formatter apply to it as to any mock):
//   GET  /<industry>                          the industry's types and personas
//   GET  /<industry>/personas[/<key>]         hero personas
//   GET  /<industry>/<plural>                 a page (?page=&pageSize=, filters, ?sort=)
//   POST /<industry>/<plural>                 create an entity in the session
//   GET|PATCH|DELETE /<industry>/<plural>/<id | @persona>
//   GET  /<industry>/<plural>/<id>/<relation> related entities (a page, or one entity)
// Without a prefix only paths whose first segment is an industry are answered (the rest
// is left to other plugins, with the reason in the kernel's 404); under a prefix every
// path is answered, an unknown industry included. Every entity carries `_links` (self and
// its relations), the same wherever it appears. Errors are coded JSON with `suggestions`.
import { errorResponse, type Exchange, type ExchangeResponse } from '@understudy/plugin-sdk';
import type { Entity, Persona } from './contract.js';
import type { PersonasConfig } from './config.js';
import { PersonasErrors } from './errors.js';
import type { EntityTypeInfo, IndustryData, RelationInfo } from './industry-types.js';
import type { PersonaRegistry } from './personas.js';
import { parseListQuery, type ListParams } from './query.js';
import { SESSION_HEADER, sessionOf } from './session-of.js';
import type { SessionService } from './sessions.js';
import { nearest, nearestIds } from './suggest.js';
import type { DataView, Page } from './view.js';

export interface RestDeps {
  config: PersonasConfig;
  data: IndustryData;
  sessions: SessionService;
  view: DataView;
  personas: PersonaRegistry;
}

interface Call {
  ex: Exchange;
  session: string;
  /** Path of the request below the prefix, decoded, without a trailing slash. */
  segments: string[];
  /** Base for links: `http://host` + prefix. */
  base: string;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export class RestApi {
  private readonly prefix: string;
  private readonly ignore: ReadonlySet<string>;

  constructor(private readonly d: RestDeps) {
    this.prefix = d.config.prefix;
    this.ignore = new Set(d.config.ignoreParams);
  }

  /** The Respond tap: answers the request, or leaves it (with a reason) for other plugins. */
  handle(ex: Exchange): Exchange {
    if (ex.protocol !== 'http') return ex;
    const { path } = ex.request;
    if (this.prefix && path !== this.prefix && !path.startsWith(`${this.prefix}/`)) return ex;
    let segments: string[];
    try {
      segments = path.slice(this.prefix.length).split('/').slice(1).map((s) => decodeURIComponent(s));
    } catch {
      ex.response = this.error(new PersonasErrors.BAD_QUERY([`path: ${path} is not a valid URL path (bad %-encoding)`]));
      return ex;
    }
    if (segments.at(-1) === '') segments.pop();
    const industries = this.d.data.industries();
    if (!this.prefix && (segments.length === 0 || !industries.includes(segments[0]))) {
      ex.context.unmatched.personas = { reason: 'not an industry path', industries: industries.map((i) => `/${i}`) };
      return ex;
    }
    const host = first(ex.request.headers.host);
    const call: Call = { ex, session: '', segments, base: `${host ? `http://${host}` : ''}${this.prefix}` };
    try {
      call.session = this.session(ex);
      ex.response = this.route(call);
      // for the formatter (an XML root named from the resource) and traces
      const [industry, resource, id, relation] = segments;
      ex.context.tags.personas = { session: call.session, industry, resource, ...(id !== undefined && { id }), ...(relation !== undefined && { relation }) };
    } catch (err) {
      const e = err as Error & { code?: unknown; statusCode?: unknown };
      if (typeof e.code !== 'string' || !e.code.startsWith('US_') || typeof e.statusCode !== 'number' || e.statusCode >= 500) throw err;
      ex.response = this.error(e as Error & { code: string; statusCode: number });
    }
    return ex;
  }

  private session(ex: Exchange): string {
    const { sessions: limits } = this.d.config;
    const name = sessionOf(ex.request.headers, limits.default);
    this.d.sessions.checkName(name);
    if (!limits.autoCreate && name !== limits.default && !this.d.sessions.has(name)) this.d.sessions.existing(name);
    return name;
  }

  private route(c: Call): ExchangeResponse {
    const [industry, plural, id, relation, ...rest] = c.segments;
    if (industry === undefined) return this.json(200, c, { industries: this.d.data.industries().map((i) => ({ name: i, href: `${c.base}/${i}` })) });
    const industries = this.d.data.industries();
    if (!industries.includes(industry)) throw new PersonasErrors.INDUSTRY_NOT_FOUND(industry, industries, nearest(industry, industries));
    const method = c.ex.request.method === 'HEAD' ? 'GET' : c.ex.request.method;
    if (plural === undefined) {
      this.allow(c, method, ['GET']);
      return this.json(200, c, this.industryIndex(c, industry));
    }
    if (plural === 'personas') {
      this.allow(c, method, ['GET']);
      if (relation !== undefined) throw this.noPath(c);
      return this.json(200, c, id === undefined ? this.personaList(c, industry) : this.personaView(c, this.persona(industry, undefined, id)));
    }
    const info = this.type(industry, plural);
    if (id === undefined) {
      this.allow(c, method, ['GET', 'POST']);
      if (method === 'POST') {
        const created = this.d.sessions.createEntity(c.session, industry, info.plural, this.body(c) as Record<string, unknown>, 'rest');
        const response = this.json(201, c, this.withLinks(c, industry, info, created));
        return { ...response, headers: { ...response.headers, location: `${this.prefix}/${industry}/${info.plural}/${encodeURIComponent(created.id)}` } };
      }
      return this.list(c, industry, info, this.params(c, industry, info), (p) => this.d.view.list(c.session, industry, info, p, { chunk: this.d.config.export.chunkSize, maxScan: this.d.config.maxScan }));
    }
    const entityId = id.startsWith('@') ? this.persona(industry, info, id.slice(1)).id : id;
    if (relation === undefined) {
      this.allow(c, method, ['GET', 'PATCH', 'DELETE']);
      if (method === 'PATCH') {
        const changed = this.d.sessions.patch(c.session, industry, info.plural, this.entity(c, industry, info, entityId).id, this.body(c) as Record<string, unknown>, 'rest');
        return this.json(200, c, this.withLinks(c, industry, info, changed));
      }
      if (method === 'DELETE') {
        this.d.sessions.deleteEntity(c.session, industry, info.plural, this.entity(c, industry, info, entityId).id, 'rest');
        return { status: 204, headers: { [SESSION_HEADER]: c.session }, body: '' };
      }
      return this.json(200, c, this.withLinks(c, industry, info, this.entity(c, industry, info, entityId)));
    }
    this.allow(c, method, ['GET']);
    if (rest.length) throw this.noPath(c);
    const parent = this.entity(c, industry, info, entityId);
    const rel = info.relations.find((r) => r.name === relation);
    if (!rel) {
      const names = info.relations.map((r) => r.name);
      throw new PersonasErrors.RELATION_NOT_FOUND(`/${industry}/${info.plural}/${parent.id}`, relation, names, nearest(relation, names));
    }
    const target = this.d.data.type(industry, rel.type);
    if (rel.kind === 'one') {
      const one = this.d.view.parent(c.session, industry, parent, rel);
      if (!one) throw new PersonasErrors.ENTITY_NOT_FOUND(c.ex.request.path, `${info.type} ${parent.id} has no ${rel.name} (its "${rel.via}" names none in this session)`, []);
      return this.json(200, c, this.withLinks(c, industry, target, one));
    }
    const children = this.d.view.children(c.session, industry, info, parent, rel);
    return this.list(c, industry, target, this.params(c, industry, target), (p) => this.d.view.page(children, p));
  }

  // ── pieces ───────────────────────────────────────────────────────────────────────────

  private type(industry: string, plural: string): EntityTypeInfo {
    const types = this.d.data.types(industry);
    const info = types.find((t) => t.plural === plural) ?? types.find((t) => t.type === plural);
    if (info) return info;
    const names = types.map((t) => t.plural);
    throw new PersonasErrors.TYPE_NOT_FOUND(industry, plural, names, nearest(plural, [...names, 'personas']));
  }

  private persona(industry: string, info: EntityTypeInfo | undefined, key: string): Persona {
    const p = this.d.personas.get(key);
    if (p && p.industry === industry && (!info || p.type === info.plural)) return p;
    const here = this.d.personas.list(industry).filter((x) => !info || x.type === info.plural);
    const where = info ? ` among ${industry}/${info.plural}` : ` in ${industry}`;
    throw new PersonasErrors.PERSONA_NOT_FOUND(key, p ? `${where} (@${key} is ${p.href})` : where, here.map((x) => x.key), this.d.personas.suggest(key, here));
  }

  private entity(c: Call, industry: string, info: EntityTypeInfo, id: string): Entity {
    const found = this.d.sessions.view(c.session, industry, info, id);
    if (found) return found;
    const cid = this.d.sessions.canonical(industry, info, id);
    const path = `/${industry}/${info.plural}/${id}`;
    const generated = this.d.data.get(industry, info.plural, cid) !== undefined;
    if (generated) throw new PersonasErrors.ENTITY_NOT_FOUND(path, `it was deleted in session "${c.session}" (reset the session to bring it back)`, []);
    const personas = this.d.personas.list(industry).filter((p) => p.type === info.plural);
    const byPersona = this.d.personas.suggest(id, personas).map((k) => `@${k}`);
    throw new PersonasErrors.ENTITY_NOT_FOUND(path, `ids run from 1 to ${info.count} (also written ${info.idPrefix}_000001)`, [...byPersona, ...nearestIds(id, info.count)].slice(0, 4));
  }

  private params(c: Call, industry: string, info: EntityTypeInfo): ListParams {
    const { pagination } = this.d.config;
    return parseListQuery(c.ex.request.query, { ...pagination, ignore: this.ignore, fields: this.d.view.fields(c.session, industry, info) });
  }

  private list(c: Call, industry: string, info: EntityTypeInfo, p: ListParams, read: (p: ListParams) => Page): ExchangeResponse {
    const { items, total } = read(p);
    const totalPages = Math.max(1, Math.ceil(total / p.pageSize));
    const link = (page: number) => this.pageUrl(c, page, p.pageSize);
    const links: Record<string, string> = { self: link(p.page), first: link(1), last: link(totalPages) };
    if (p.page > 1) links.prev = link(Math.min(p.page - 1, totalPages));
    if (p.page < totalPages) links.next = link(p.page + 1);
    const response = this.json(200, c, { items: items.map((e) => this.withLinks(c, industry, info, e)), page: p.page, pageSize: p.pageSize, total, totalPages, links });
    const linkHeader = ['first', 'prev', 'next', 'last'].filter((r) => links[r]).map((r) => `<${links[r]}>; rel="${r}"`).join(', ');
    return { ...response, headers: { ...response.headers, 'x-total-count': String(total), link: linkHeader } };
  }

  private pageUrl(c: Call, page: number, pageSize: number): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(c.ex.request.query)) {
      if (k === 'page' || k === 'pageSize') continue;
      for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
    }
    q.set('page', String(page));
    q.set('pageSize', String(pageSize));
    return `${c.base}/${c.segments.map(encodeURIComponent).join('/')}?${q}`;
  }

  /** The entity with `_links`: itself and each relation (a `one` relation links the entity it names). */
  private withLinks(c: Call, industry: string, info: EntityTypeInfo, e: Entity): Entity {
    const self = `${c.base}/${industry}/${info.plural}/${encodeURIComponent(e.id)}`;
    const links: Record<string, string> = { self };
    for (const r of info.relations) links[r.name] = this.relationHref(c, industry, r, e, self);
    return { ...e, _links: links };
  }

  private relationHref(c: Call, industry: string, r: RelationInfo, e: Entity, self: string): string {
    if (r.kind === 'one' && e[r.via] !== undefined && e[r.via] !== null) return `${c.base}/${industry}/${r.type}/${encodeURIComponent(String(e[r.via]))}`;
    return `${self}/${r.name}`;
  }

  private industryIndex(c: Call, industry: string) {
    return {
      industry,
      types: this.d.data.types(industry).map((t) => ({
        type: t.type,
        plural: t.plural,
        count: this.d.view.count(c.session, industry, t),
        description: t.description,
        href: `${c.base}/${industry}/${t.plural}`,
      })),
      personas: `${c.base}/${industry}/personas`,
    };
  }

  private personaList(c: Call, industry: string) {
    const items = this.d.personas.list(industry).map((p) => this.personaView(c, p));
    return { items, total: items.length };
  }

  private personaView(c: Call, p: Persona) {
    const info = this.d.data.type(p.industry, p.type);
    const entity = this.d.sessions.view(c.session, p.industry, info, p.id);
    return { ...p, href: `${c.base}/${p.industry}/${p.type}/${p.id}`, alias: `${c.base}/${p.industry}/${p.type}/@${p.key}`, entity: entity ? this.withLinks(c, p.industry, info, entity) : null };
  }

  private body(c: Call): unknown {
    const type = String(first(c.ex.request.headers['content-type']) ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && !/^application\/[\w.+-]*\+json$/.test(type)) throw new PersonasErrors.UNSUPPORTED_MEDIA_TYPE(type || '(none)');
    try {
      return JSON.parse(c.ex.request.body);
    } catch (err) {
      throw new PersonasErrors.INVALID_JSON((err as Error).message);
    }
  }

  private allow(c: Call, method: string, allowed: string[]): void {
    if (!allowed.includes(method)) {
      const err = new PersonasErrors.METHOD_NOT_ALLOWED(c.ex.request.method, c.ex.request.path, allowed);
      throw Object.assign(err, { allow: allowed.join(', ') });
    }
  }

  private noPath(c: Call) {
    return new PersonasErrors.ENTITY_NOT_FOUND(c.ex.request.path, 'paths are /<industry>/<plural>/<id>/<relation> at most', []);
  }

  private json(status: number, c: Call, body: unknown): ExchangeResponse {
    return { status, headers: { ...JSON_HEADERS, [SESSION_HEADER]: c.session }, body: JSON.stringify(body) };
  }

  private error(err: Error & { code: string; statusCode: number; suggestions?: unknown; problems?: unknown; allow?: string }): ExchangeResponse {
    const extra = { ...(err.suggestions !== undefined && { suggestions: err.suggestions }), ...(err.problems !== undefined && { problems: err.problems }) };
    const response = errorResponse(err.statusCode, err.code, err.message, extra);
    return err.allow ? { ...response, headers: { ...response.headers, allow: err.allow } } : response;
  }
}
