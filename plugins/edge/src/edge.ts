// The `edge` service: the nodes, the one in-process subscription that feeds them, and the
// processing tick on the kernel clock (with the virtual clock, `advance` drives it).
import type { Broker, MqttMessage } from '@understudy/plugin-mqtt';
import { deviceTopics } from '@understudy/plugin-fleet';
import type { Clock, PluginEvents } from '@understudy/plugin-sdk';
import type { EdgeConfig, NodeInput } from './config.js';
import { EdgeErrors } from './errors.js';
import type { FleetLookup } from './membership.js';
import { EdgeNode, type CommandSender } from './node.js';
import { parsePayload, type Parsed } from './reading.js';
import { resolveNode } from './spec.js';
import type { AggregateMessage, AlertMessage, BudgetSpec, Edge, EdgeNodeSpec, EdgeNodeView } from './contract.js';

export interface EdgeDeps {
  config: EdgeConfig;
  clock: Clock;
  events: PluginEvents;
  broker: Broker;
  fleet: FleetLookup | undefined;
  commands: () => CommandSender | undefined;
}

export class EdgeService implements Edge {
  private readonly nodes = new Map<string, EdgeNode>();
  private unsubscribe: (() => void) | undefined;
  private timer: ReturnType<Clock['setInterval']> | undefined;
  /** Telemetry messages no node owns. */
  unowned = 0;

  constructor(private readonly deps: EdgeDeps) {}

  /** Config nodes: every problem of every node, each with its path, or nothing is added. */
  static problemsOf(nodes: NodeInput[], fleetLoaded: boolean): string[] {
    const problems: string[] = [];
    const ids = new Set<string>();
    nodes.forEach((input, i) => {
      const where = `plugins.edge.nodes[${i}]`;
      if (ids.has(input.id)) problems.push(`${where}.id: "${input.id}" is used by another node`);
      ids.add(input.id);
      problems.push(...resolveNode(input, where, fleetLoaded).problems);
    });
    return problems;
  }

  start(): void {
    this.unsubscribe = this.deps.broker.subscribe(deviceTopics.telemetry.filter(), (message) => this.onMessage(message));
    this.timer = this.deps.clock.setInterval(() => this.tick(), this.deps.config.tickMs);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) this.deps.clock.clearInterval(this.timer);
    this.timer = undefined;
    for (const node of this.nodes.values()) node.dispose();
  }

  list(): EdgeNodeView[] {
    return [...this.nodes.values()].map((n) => n.view());
  }

  get(id: string): EdgeNodeView | undefined {
    return this.nodes.get(id)?.view();
  }

  /** Like get(), but throws US_EDGE_NODE_NOT_FOUND. */
  describe(id: string): EdgeNodeView {
    return this.node(id).view();
  }

  add(spec: EdgeNodeSpec): EdgeNodeView {
    const { node, problems } = resolveNode(spec as NodeInput, '', this.deps.fleet !== undefined);
    if (problems.length) throw new EdgeErrors.INVALID_NODE(spec.id, problems);
    if (this.nodes.has(node.id)) throw new EdgeErrors.DUPLICATE_NODE(node.id);
    const { config, clock, events, broker } = this.deps;
    const created = new EdgeNode(node, {
      now: () => clock.now(),
      publish: (topic, message) => broker.publish(topic, message, { qos: config.upstream.qos }),
      emit: (type, data) => void events.emit(type, data),
      fleet: this.deps.fleet,
      commands: this.deps.commands,
      topicPrefix: config.upstream.topicPrefix,
      tickMs: config.tickMs,
      latencyTargetMs: config.latencyTargetMs,
      history: config.history,
    });
    this.nodes.set(node.id, created);
    return created.view();
  }

  remove(id: string): EdgeNodeView {
    const node = this.node(id);
    const view = node.view();
    node.dispose();
    this.nodes.delete(id);
    return view;
  }

  setBudget(id: string, budget: Partial<BudgetSpec>): BudgetSpec {
    return this.node(id).setBudget(budget);
  }

  aggregates(id: string, options: { sensor?: string; limit?: number } = {}): AggregateMessage[] {
    return this.node(id).aggregates(options.sensor, options.limit);
  }

  alerts(id: string, options: { limit?: number } = {}): AlertMessage[] {
    return this.node(id).alerts(options.limit);
  }

  private node(id: string): EdgeNode {
    const node = this.nodes.get(id);
    if (!node) throw new EdgeErrors.NODE_NOT_FOUND(id);
    return node;
  }

  private onMessage(message: MqttMessage): void {
    const topic = deviceTopics.telemetry.parse(message.topic);
    if (!topic) return;
    // parsed once, and only when some node owns the device
    let parsed: Parsed | undefined;
    let owned = false;
    for (const node of this.nodes.values()) {
      if (!node.owns(topic.deviceId, topic.sensor)) continue;
      owned = true;
      node.receive(topic.deviceId, topic.sensor, (parsed ??= parsePayload(message.payload)));
    }
    if (!owned) this.unowned++;
  }

  private tick(): void {
    const now = this.deps.clock.now();
    for (const node of this.nodes.values()) node.tick(now);
  }
}
