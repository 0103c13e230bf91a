// Usage samples for right-sizing: bounded per workload and resource, the oldest pushed out
// and counted, oldest first; a forgotten workload has none.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageSamples } from '../src/usage.js';

const it = suite('autoscale: usage samples');

it('bounded rings per workload, oldest first, overflow counted; forget', () => {
  const u = new UsageSamples(3);
  for (let i = 1; i <= 5; i++) u.add('web', i * 100, i * 10);
  u.add('db', 7, 8);
  const web = u.of('web');
  assert.equal([...web.cpu], [300, 400, 500]);
  assert.equal([...web.memory], [30, 40, 50]);
  assert.is(web.dropped, 2);
  assert.equal([...u.of('db').cpu], [7]);
  u.forget('web');
  assert.equal(u.of('web'), { cpu: new Float64Array(0), memory: new Float64Array(0), dropped: 0 });
});

it.run();
