import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import mqttClient from 'mqtt';
import { nodeView, publish, reading, startEdge, subscriber, untilReceived, waitFor } from './helpers.js';

const it = suite('edge: pipelines over the real broker');

const T0 = Date.UTC(2025, 0, 1);
const aggregatesOnly = { nodes: [{ id: 'hall', devices: { idPrefix: 'th-' }, pipeline: { windows: [{ kind: 'tumbling', sizeMs: 1000, aggregates: ['min', 'max', 'mean', 'count'] }] } }] };

it('devices publish over MQTT; upstream sees only the window aggregates, after the clock closes them', async () => {
  const k = await startEdge(aggregatesOnly);
  const up = await subscriber(k);
  const raw = await subscriber(k, 'devices/+/telemetry/#', 'raw-watcher');
  const devices = await Promise.all(['th-1', 'th-2', 'other-1'].map((id) => mqttClient.connectAsync(k.resolve('broker').url, { clientId: id, reconnectPeriod: 0 })));
  try {
    const [d1, d2, other] = devices;
    await d1.publishAsync('devices/th-1/telemetry/temp', JSON.stringify(reading(k, 'th-1', 'temp', 20)), { qos: 1 });
    await d1.publishAsync('devices/th-1/telemetry/temp', JSON.stringify(reading(k, 'th-1', 'temp', 22)), { qos: 1 });
    await d2.publishAsync('devices/th-2/telemetry/temp', JSON.stringify(reading(k, 'th-2', 'temp', 27)), { qos: 1 });
    await d2.publishAsync('devices/th-2/telemetry/humidity', JSON.stringify(reading(k, 'th-2', 'humidity', 40)), { qos: 1 });
    await other.publishAsync('devices/other-1/telemetry/temp', JSON.stringify(reading(k, 'other-1', 'temp', 99)), { qos: 1 });
    await untilReceived(k, 'hall', 4);
    await waitFor(() => raw.seen.length === 5, 'raw readings on the device topics');
    assert.is(nodeView(k, 'hall').counters.processed, 4);
    assert.equal(up.seen, [], 'nothing upstream before the window closes');

    await k.advance(999);
    assert.equal(nodeView(k, 'hall').counters.aggregates, 0);
    await k.advance(1);
    await waitFor(() => up.seen.length === 2, 'two aggregates upstream');
    const byTopic = Object.fromEntries(up.seen.map((m) => [m.topic, m.body]));
    assert.equal(byTopic['edge/hall/aggregates/temp'], {
      node: 'hall',
      sensor: 'temp',
      window: { kind: 'tumbling', start: T0, end: T0 + 1000, sizeMs: 1000 },
      min: 20,
      max: 27,
      mean: 23,
      count: 3,
      devices: 2,
    });
    assert.is(byTopic['edge/hall/aggregates/humidity'].count, 1);
    assert.ok(up.seen.every((m) => m.topic.startsWith('edge/hall/aggregates/')), 'never a raw reading upstream');

    // an idle clock closes nothing more
    await k.advance(5000);
    const view = nodeView(k, 'hall');
    assert.is(view.counters.aggregates, 2);
    assert.is(view.counters.forwarded, 2);
    assert.is(view.forwardRatio, 0.5);
    assert.is(view.devicesSeen, 2);
    assert.is(view.devices, null, 'an idPrefix group without the fleet cannot be counted');
    assert.is(view.latency.count, 4);
    assert.is(view.latency.max, 0, 'under budget: processed as it arrives');
    assert.is(k.resolve('edge').list().length, 1);
  } finally {
    for (const c of [up.client, raw.client, ...devices]) await c.endAsync();
    await k.stop();
  }
});

it('sliding windows publish every slideMs over the last sizeMs; ids groups and sensor lists', async () => {
  const k = await startEdge({
    nodes: [
      {
        id: 'line',
        devices: { ids: ['m1', 'm2'] },
        sensors: ['power'],
        pipeline: { windows: [{ kind: 'sliding', sizeMs: 3000, slideMs: 1000, aggregates: ['mean', 'count'] }] },
      },
    ],
  });
  const up = await subscriber(k);
  try {
    await publish(k, 'm1', 'power', [10]);
    await publish(k, 'm3', 'power', [1000]);
    await publish(k, 'm1', 'temp', [1000]);
    await k.advance(1000);
    await publish(k, 'm2', 'power', [30]);
    await k.advance(4000);
    await waitFor(() => up.seen.length === 4, 'four sliding windows');
    assert.equal(
      up.seen.map((m) => [m.body.window.end - T0, m.body.count, m.body.mean, m.body.devices]),
      [
        [1000, 1, 10, 1],
        [2000, 2, 20, 2],
        [3000, 2, 20, 2],
        [4000, 1, 30, 1],
      ],
    );
    assert.equal(Object.keys(up.seen[0].body).sort(), ['count', 'devices', 'mean', 'node', 'sensor', 'window']);
    const view = nodeView(k, 'line');
    assert.is(view.counters.received, 2, 'm3 and the temp sensor are not this node’s');
    assert.is(view.devices, 2);
    assert.is(k.resolve('edge').list().length, 1);
  } finally {
    await up.client.endAsync();
    await k.stop();
  }
});

it('threshold and deadband filters reduce what reaches the windows', async () => {
  const k = await startEdge({
    nodes: [
      {
        id: 'f',
        devices: { idPrefix: 'd' },
        pipeline: {
          filters: [
            { kind: 'threshold', min: 0, max: 50 },
            { kind: 'deadband', delta: 1 },
          ],
          windows: [{ kind: 'tumbling', sizeMs: 1000, aggregates: ['count', 'max'] }],
        },
      },
    ],
  });
  try {
    await publish(k, 'd1', 't', [20, 20.5, 20.9, -5, 80, 21, 21.5, 23]);
    await publish(k, 'd2', 't', [20.5]);
    await k.advance(1000);
    const view = nodeView(k, 'f');
    assert.is(view.counters.processed, 9);
    assert.is(view.counters.filtered, 5);
    assert.equal(view.filters, [
      { kind: 'threshold', held: 2 },
      { kind: 'deadband', held: 3 },
    ]);
    const [agg] = k.resolve('edge').aggregates('f');
    // passed: d1 20, 21, 23 and d2 20.5 (its own deadband)
    assert.is(agg.count, 4);
    assert.is(agg.max, 23);
  } finally {
    await k.stop();
  }
});

it('a spike is an anomaly: an alert upstream and an edge.alert event', async () => {
  const k = await startEdge({ nodes: [{ id: 'a', devices: { ids: ['p1'] }, pipeline: { anomaly: { zScore: 3, window: 20, minSamples: 10 } } }] });
  const up = await subscriber(k);
  try {
    await publish(k, 'p1', 'pressure', [100, 101, 99, 100, 102, 98, 100, 101, 99, 100]);
    assert.equal(k.eventsOf('edge.alert'), []);
    await publish(k, 'p1', 'pressure', [140]);
    await waitFor(() => up.seen.length === 1, 'the alert upstream');
    const alert = up.seen[0];
    assert.is(alert.topic, 'edge/a/alerts');
    assert.equal(Object.keys(alert.body).sort(), ['at', 'deviceId', 'kind', 'mean', 'node', 'sensor', 'std', 'value', 'z']);
    assert.equal({ kind: alert.body.kind, node: alert.body.node, deviceId: alert.body.deviceId, sensor: alert.body.sensor, value: alert.body.value, mean: alert.body.mean }, {
      kind: 'anomaly',
      node: 'a',
      deviceId: 'p1',
      sensor: 'pressure',
      value: 140,
      mean: 100,
    });
    assert.ok(alert.body.z > 3);
    const events = k.eventsOf('edge.alert');
    assert.is(events.length, 1);
    assert.equal(events[0].data, alert.body);
    assert.equal(k.resolve('edge').alerts('a'), [alert.body]);
    assert.is(nodeView(k, 'a').counters.alerts, 1);
  } finally {
    await up.client.endAsync();
    await k.stop();
  }
});

it('derived numbers carry the sensor\'s precision, not float noise: means and anomaly statistics', async () => {
  const k = await startEdge({
    nodes: [{ id: 'p', devices: { idPrefix: 'r' }, pipeline: { windows: [{ kind: 'tumbling', sizeMs: 1000, aggregates: ['min', 'max', 'mean'] }], anomaly: { zScore: 2, window: 3 } } }],
  });
  const up = await subscriber(k);
  try {
    // 22.1, 22.2, 22.96 sum to a mean of 22.419999999999998 in floating point
    await publish(k, 'r1', 'temp', [22.1, 22.2]);
    await publish(k, 'r2', 'temp', [22.96]);
    // motion: 0/1 readings; their mean keeps one decimal more than the readings
    await publish(k, 'r1', 'motion', [0, 1, 0]);
    await k.advance(1000);
    await waitFor(() => up.seen.filter((m) => m.topic.includes('/aggregates/')).length === 2, 'two aggregates');
    const agg = Object.fromEntries(up.seen.filter((m) => m.topic.includes('/aggregates/')).map((m) => [m.body.sensor, m.body]));
    assert.equal([agg.temp.min, agg.temp.max, agg.temp.mean], [22.1, 22.96, 22.42]);
    assert.is(agg.motion.mean, 0.3);
    assert.equal(k.resolve('edge').aggregates('p', { sensor: 'temp' })[0].mean, 22.42);

    // a spike after a few readings: mean and std with the sensor's decimals + 1, z with 2
    await publish(k, 'r3', 'co2', [400, 401, 403, 480]);
    await waitFor(() => k.eventsOf('edge.alert').length === 1, 'an anomaly');
    const alert = k.eventsOf('edge.alert')[0].data;
    assert.equal({ value: alert.value, mean: alert.mean, std: alert.std, z: alert.z }, { value: 480, mean: 401.3, std: 1.2, z: 63.07 });
  } finally {
    await up.client.endAsync();
    await k.stop();
  }
});

it('bad telemetry is counted, never a crash: malformed JSON, non-numeric values, GPS positions', async () => {
  const k = await startEdge(aggregatesOnly);
  const broker = k.resolve('broker');
  try {
    await broker.publish('devices/th-1/telemetry/temp', '{not json');
    await broker.publish('devices/th-1/telemetry/temp', { value: 'hot' });
    await broker.publish('devices/th-1/telemetry/gps', { value: { lat: 48.1, lon: 11.5 } });
    await broker.publish('devices/th-1/telemetry/temp', '21');
    await broker.publish('devices/th-1/status', { state: 'online' });
    await broker.publish('devices/nobody/telemetry/temp', { value: 1 });
    const { counters } = nodeView(k, 'hall');
    assert.equal([counters.received, counters.invalid, counters.skipped, counters.processed], [4, 2, 1, 1]);
    assert.is((await k.inject('/__admin/edge/nodes')).json().unowned, 1);
  } finally {
    await k.stop();
  }
});

it('state stays bounded: readings beyond maxSensors and maxSeries are counted overLimit', async () => {
  const k = await startEdge({ nodes: [{ id: 'cap', devices: { idPrefix: 'c' }, maxSensors: 1, maxSeries: 2, pipeline: { filters: [{ kind: 'deadband', delta: 1 }] } }] });
  try {
    await publish(k, 'c1', 'temp', [1]);
    await publish(k, 'c1', 'hum', [1]);
    await publish(k, 'c2', 'temp', [1]);
    await publish(k, 'c3', 'temp', [1]);
    await publish(k, 'c1', 'temp', [5]);
    const view = nodeView(k, 'cap');
    assert.equal([view.counters.received, view.counters.overLimit, view.counters.processed, view.devicesSeen], [5, 2, 3, 2]);
  } finally {
    await k.stop();
  }
});

it('a burst beyond the budget: dropped and counted, one exceeded and one recovered event, and the node goes on', async () => {
  const k = await startEdge({
    nodes: [{ id: 'small', devices: { idPrefix: 's' }, budget: { queueLength: 10, ratePerSecond: 10 }, pipeline: { windows: [{ kind: 'tumbling', sizeMs: 10_000, aggregates: ['count'] }] } }],
  });
  try {
    await publish(k, 's1', 'v', Array.from({ length: 50 }, (_, i) => i));
    let view = nodeView(k, 'small');
    assert.equal([view.counters.received, view.counters.processed, view.queue.depth, view.counters.dropped], [50, 1, 10, 39]);
    assert.ok(view.queue.overloaded);
    assert.is(k.eventsOf('edge.budgetExceeded').length, 1);
    assert.equal(k.eventsOf('edge.budgetExceeded')[0].data, { node: 'small', at: T0, overflow: 'drop-newest', queueLength: 10, ratePerSecond: 10, depth: 10 });
    assert.equal(k.eventsOf('edge.budgetRecovered'), []);

    await k.advance(600);
    view = nodeView(k, 'small');
    assert.is(view.queue.depth, 4, 'one per 100 ms');
    assert.is(k.eventsOf('edge.budgetRecovered').length, 1);
    assert.equal(k.eventsOf('edge.budgetRecovered')[0].data, { node: 'small', at: T0 + 600, depth: 4, dropped: 39, sampledOut: 0 });
    await k.advance(1000);
    view = nodeView(k, 'small');
    assert.equal([view.queue.depth, view.counters.processed], [0, 11]);
    assert.is(view.latency.max, 1000, 'the last queued reading waited a second');
    assert.ok(view.latency.overTarget > 0);
    assert.is(view.latency.p50, 500);

    // recovered: a new reading is processed at once again (the bucket holds one at 10/s)
    await publish(k, 's1', 'v', [1, 2]);
    assert.is(nodeView(k, 'small').counters.processed, 12);
    await k.advance(100);
    assert.is(nodeView(k, 'small').counters.processed, 13);
    assert.is(k.eventsOf('edge.budgetExceeded').length, 1);
    await k.advance(10_000);
    assert.equal(
      k.resolve('edge').aggregates('small').map((a) => [a.window.start - T0, a.count]),
      [[0, 13]],
    );
  } finally {
    await k.stop();
  }
});

it('a window stays open until every reading that arrived in it has been processed', async () => {
  const k = await startEdge({
    nodes: [{ id: 'slow', devices: { idPrefix: 's' }, budget: { ratePerSecond: 10 }, pipeline: { windows: [{ kind: 'tumbling', sizeMs: 1000, aggregates: ['count'] }] } }],
  });
  try {
    await publish(k, 's1', 'v', Array.from({ length: 15 }, (_, i) => i));
    await k.advance(1000);
    assert.equal(k.resolve('edge').aggregates('slow'), [], 'five readings of the first second still queued');
    await publish(k, 's1', 'v', [100]);
    await k.advance(400);
    assert.equal(k.resolve('edge').aggregates('slow').map((a) => [a.window.start - T0, a.count]), [[0, 15]]);
    await k.advance(1000);
    assert.equal(k.resolve('edge').aggregates('slow').map((a) => [a.window.start - T0, a.count]), [[0, 15], [1000, 1]]);
  } finally {
    await k.stop();
  }
});

it('the sample policy keeps 1 in N of a burst, the newest ones', async () => {
  const k = await startEdge({
    nodes: [
      {
        id: 'thin',
        devices: { idPrefix: 's' },
        budget: { queueLength: 5, ratePerSecond: 10, overflow: 'sample', sampleEvery: 10 },
        pipeline: { windows: [{ kind: 'tumbling', sizeMs: 100_000, aggregates: ['count', 'max'] }] },
      },
    ],
  });
  try {
    await publish(k, 's1', 'v', Array.from({ length: 106 }, (_, i) => i + 1));
    // 1 processed at once, 5 queued, then 100 arrivals over budget: 10 kept, each pushing out the oldest
    let view = nodeView(k, 'thin');
    assert.equal([view.counters.sampledOut, view.counters.dropped, view.queue.depth], [90, 10, 5]);
    await k.advance(100_000);
    view = nodeView(k, 'thin');
    assert.is(view.counters.processed, 6);
    assert.is(k.eventsOf('edge.budgetExceeded').length, 1);
    assert.is(k.eventsOf('edge.budgetRecovered').length, 1);
    const [agg] = k.resolve('edge').aggregates('thin');
    assert.equal([agg.count, agg.max], [6, 106], 'kept the newest sample');
  } finally {
    await k.stop();
  }
});

it.run();
