// The device topic catalogue (src/contract.ts): what every IoT plugin publishes on,
// subscribes to and parses, and its agreement with the broker's default device ACL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { filterCovers, isValidFilter, MqttConfigSchema, topicMatches, topicProblem } from '@understudy/plugin-mqtt';
import { deviceTopics } from '../src/index.js';

const it = suite('fleet: device topic catalogue');

it('builds every device topic under devices/{id}/', () => {
  assert.is(deviceTopics.status.topic('d1'), 'devices/d1/status');
  assert.is(deviceTopics.telemetry.topic('d1', 'temperature'), 'devices/d1/telemetry/temperature');
  assert.is(deviceTopics.commands.topic('d1', 'reboot'), 'devices/d1/commands/reboot');
  assert.is(deviceTopics.replies.topic('d1'), 'devices/d1/replies');
  assert.is(deviceTopics.shadow.topic('d1', 'desired'), 'devices/d1/shadow/desired');
  assert.is(deviceTopics.all('d1'), 'devices/d1/#');
});

it('filters: every device by default, or one device', () => {
  assert.is(deviceTopics.status.filter(), 'devices/+/status');
  assert.is(deviceTopics.telemetry.filter(), 'devices/+/telemetry/+');
  assert.is(deviceTopics.commands.filter('d1'), 'devices/d1/commands/+');
  assert.is(deviceTopics.replies.filter(), 'devices/+/replies');
  assert.is(deviceTopics.shadow.filter('+', 'reported'), 'devices/+/shadow/reported');
  assert.is(deviceTopics.shadow.filter(), 'devices/+/shadow/+');
  assert.is(deviceTopics.all(), 'devices/+/#');
  for (const filter of [deviceTopics.status.filter(), deviceTopics.telemetry.filter(), deviceTopics.commands.filter(), deviceTopics.replies.filter(), deviceTopics.shadow.filter(), deviceTopics.all()]) {
    assert.ok(isValidFilter(filter), filter);
  }
  assert.ok(topicMatches(deviceTopics.telemetry.filter(), deviceTopics.telemetry.topic('d1', 'co2')));
  assert.ok(topicMatches(deviceTopics.commands.filter('d1'), deviceTopics.commands.topic('d1', 'reboot')));
  assert.not.ok(topicMatches(deviceTopics.commands.filter('d1'), deviceTopics.commands.topic('d2', 'reboot')));
});

it('parses each kind, and nothing else (wrong kind, extra or empty levels)', () => {
  assert.equal(deviceTopics.status.parse('devices/d1/status'), { deviceId: 'd1' });
  assert.equal(deviceTopics.telemetry.parse('devices/d1/telemetry/temp'), { deviceId: 'd1', sensor: 'temp' });
  assert.equal(deviceTopics.commands.parse('devices/d1/commands/reboot'), { deviceId: 'd1', name: 'reboot' });
  assert.equal(deviceTopics.replies.parse('devices/d1/replies'), { deviceId: 'd1' });
  assert.equal(deviceTopics.shadow.parse('devices/d1/shadow/reported'), { deviceId: 'd1', document: 'reported' });
  for (const t of ['devices/d1/status/x', 'devices//status', 'x/d1/status', 'devices/d1/replies']) assert.is(deviceTopics.status.parse(t), undefined, t);
  for (const t of ['devices/d1/status', 'devices/d1/telemetry/temp/x', 'x/d1/telemetry/t', 'devices//telemetry/t', 'devices/d1/telemetry/', 'devices/d1/other/t']) {
    assert.is(deviceTopics.telemetry.parse(t), undefined, t);
  }
  for (const t of ['devices/d1/commands', 'devices//commands/x', 'devices/d1/commands/']) assert.is(deviceTopics.commands.parse(t), undefined, t);
  for (const t of ['devices//replies', 'devices/d1/replies/x']) assert.is(deviceTopics.replies.parse(t), undefined, t);
  for (const t of ['devices/d1/shadow/other', 'devices//shadow/delta', 'devices/d1/shadow']) assert.is(deviceTopics.shadow.parse(t), undefined, t);
});

it("the broker's default device ACL (its own pattern: mqtt sits below fleet) covers every device topic and filter", () => {
  const acl = MqttConfigSchema.properties.auth.properties;
  const own = (patterns: string[]) => patterns.map((p) => p.replaceAll('{id}', 'd1'));
  const publish = own(acl.devicePublish.default as string[]);
  const subscribe = own(acl.deviceSubscribe.default as string[]);
  assert.equal(publish, [deviceTopics.all('d1')]);
  for (const topic of [deviceTopics.status.topic('d1'), deviceTopics.telemetry.topic('d1', 'co2'), deviceTopics.replies.topic('d1'), deviceTopics.shadow.topic('d1', 'reported')]) {
    assert.is(topicProblem(topic), undefined, topic);
    assert.ok(publish.some((allowed) => topicMatches(allowed, topic)), topic);
  }
  for (const filter of [deviceTopics.commands.filter('d1'), deviceTopics.shadow.topic('d1', 'delta')]) {
    assert.ok(subscribe.some((allowed) => filterCovers(allowed, filter)), filter);
  }
});

it.run();
