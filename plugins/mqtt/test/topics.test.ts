import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileMatcher, filterCovers, isSafeLevel, isValidFilter, topicMatches, topicProblem } from '../src/topics.js';

const it = suite('mqtt: topics');

it('topic names: no wildcards, not empty, no NUL', () => {
  assert.is(topicProblem('devices/d1/telemetry/temperature'), undefined);
  assert.match(topicProblem('')!, /empty/);
  assert.match(topicProblem('devices/+/x')!, /wildcards/);
  assert.match(topicProblem('devices/#')!, /wildcards/);
  assert.match(topicProblem('a\u0000b')!, /NUL/);
});

it('filters: + fills a level, # only last', () => {
  for (const f of ['#', '+', 'a/+/c', 'a/#', '+/+/#', 'a/b']) assert.ok(isValidFilter(f), f);
  for (const f of ['', 'a/#/c', 'a/b#', 'a/b+/c', 'a\u0000']) assert.not.ok(isValidFilter(f), f);
});

it('matching follows §4.7, including $-topics and parent levels of #', () => {
  assert.ok(topicMatches('devices/+/telemetry/#', 'devices/d1/telemetry/temperature'));
  assert.ok(topicMatches('devices/#', 'devices'));
  assert.ok(topicMatches('a/b', 'a/b'));
  assert.not.ok(topicMatches('a/b', 'a/b/c'));
  assert.not.ok(topicMatches('a/+/c', 'a/b'));
  assert.not.ok(topicMatches('a/+', 'x/b'));
  assert.not.ok(topicMatches('#', '$SYS/broker/uptime'));
  assert.not.ok(topicMatches('+/broker', '$SYS/broker'));
  assert.ok(topicMatches('$SYS/#', '$SYS/broker/uptime'));
});

it('filterCovers: what an ACL entry allows a subscription to ask for', () => {
  assert.ok(filterCovers('devices/d1/#', 'devices/d1/commands/+'));
  assert.ok(filterCovers('devices/d1/#', 'devices/d1/#'));
  assert.ok(filterCovers('devices/+/status', 'devices/d9/status'));
  assert.ok(filterCovers('devices/+/status', 'devices/+/status'));
  assert.ok(filterCovers('#', '#'));
  assert.not.ok(filterCovers('devices/d1/#', 'devices/+/commands/+'));
  assert.not.ok(filterCovers('devices/d1/#', '#'));
  assert.not.ok(filterCovers('devices/d1/status', 'devices/d1/#'));
  assert.not.ok(filterCovers('devices/d1/status', 'devices/d1/status/x'));
  assert.not.ok(filterCovers('devices/d1/status/x', 'devices/d1/status'));
  assert.not.ok(filterCovers('devices/+/status', 'devices/d1/other'));
});

it('a compiled matcher answers as topicMatches does; safe levels', () => {
  const filters = ['#', 'a/#', 'a/b', 'a/+', '+/b/#', 'devices/d1/#', '$SYS/#', 'a/b/#'];
  const topics = ['a', 'a/b', 'a/b/c', 'ab', 'a/bc', 'b/b/x', '$SYS/x', 'devices/d1', 'devices/d1/status', 'devices/d10/status', 'a/'];
  for (const f of filters) {
    const m = compileMatcher(f);
    for (const t of topics) assert.is(m(t), topicMatches(f, t), `${f} ~ ${t}`);
  }
  assert.equal(['d1', '', '+', '#', 'a/b', undefined].map(isSafeLevel), [true, false, false, false, false, false]);
});

it.run();
