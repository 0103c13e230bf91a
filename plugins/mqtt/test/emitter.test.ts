import mqemitter from 'mqemitter';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMessageBus } from '../src/emitter.js';

const it = suite('mqtt: message bus under a backlog');

/** Queue `count` messages behind one slow delivery, then let them all complete synchronously. */
function flood(mq: ReturnType<typeof mqemitter>, count: number) {
  let delivered = 0;
  let held: (() => void) | undefined;
  mq.on('t', (_message, done) => {
    delivered++;
    if (delivered === 1) held = done;
    else done();
  });
  for (let i = 0; i < count; i++) mq.emit({ topic: 't' });
  return { release: () => held!(), delivered: () => delivered };
}

it('plain mqemitter overflows the stack when a backlog completes synchronously (why the bus exists)', () => {
  const plain = flood(mqemitter({ concurrency: 1 }), 50_000);
  assert.throws(() => plain.release(), (err: Error) => err instanceof RangeError);
});

it('the bus delivers the whole backlog, in order, without overflowing', async () => {
  const mq = createMessageBus(1);
  const order: number[] = [];
  mq.on('n/+', (message, done) => {
    order.push(Number((message as { topic: string }).topic.split('/')[1]));
    done();
  });
  const bus = flood(mq, 50_000);
  for (let i = 0; i < 4; i++) mq.emit({ topic: `n/${i}` });
  // with concurrency 1 the queue runs in order: the last message's completion means every
  // message before it was delivered (no wait on real time, whatever the machine's load)
  const last = new Promise<void>((resolve) => mq.emit({ topic: 'n/4' }, () => resolve()));
  bus.release();
  await last;
  assert.is(bus.delivered(), 50_000);
  assert.equal(order, [0, 1, 2, 3, 4]);
});

it.run();
