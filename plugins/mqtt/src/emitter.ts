// aedes' message bus (mqemitter) runs the next queued message from the completion of the
// previous one. When deliveries complete synchronously — subscribers that disconnected
// while a backlog was queued — that recursion is as deep as the backlog, and a flood of
// QoS 0 messages overflowed the stack and killed the broker (bare aedes too). Past a
// modest depth the next message is run on the next turn of the event loop instead.
import mqemitter from 'mqemitter';

type Emitter = ReturnType<typeof mqemitter> & { _do(message: unknown, callback: unknown): unknown };

const MAX_DEPTH = 200;

export function createMessageBus(concurrency: number): ReturnType<typeof mqemitter> {
  const mq = mqemitter({ concurrency, matchEmptyLevels: true }) as Emitter; // [MQTT-4.7.1-3], as aedes
  const run = mq._do;
  let depth = 0;
  mq._do = function (message, callback) {
    if (depth >= MAX_DEPTH) {
      setImmediate(() => run.call(mq, message, callback));
      return mq;
    }
    depth++;
    try {
      return run.call(mq, message, callback);
    } finally {
      depth--;
    }
  };
  return mq;
}
