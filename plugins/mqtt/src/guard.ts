// What aedes 1.x does not do and MQTT or a bounded memory needs, done on each connection's
// parser (mqtt-packet 9) right after aedes creates it:
//
// - **Largest packet.** mqtt-packet buffers a packet until all of its declared length has
//   arrived, so three clients declaring 256 MB PUBLISHes took the broker from 106 MB to
//   414 MB of RSS, never given back. Neither library has a limit (aedes issue #831 is
//   open), so the parser's length step is wrapped: once the fixed header is read, a packet
//   larger than `maxPacketSize` is a parser error, and aedes closes that connection as it
//   does for any malformed packet — before a byte of the body is kept.
// - **CONNACK 0x01 for an unsupported protocol level** (MQTT-3.1.2-2). mqtt-packet refuses
//   levels other than 3, 4 and 5 as a parse error and aedes then closes the socket without
//   an answer; the CONNACK is written first, from the parser's `error` event (prepended, so
//   it runs before aedes' own listener destroys the socket). Level 5 reaches aedes, which
//   answers 0x01 itself.
//
// A parser of another shape (an aedes or mqtt-packet upgrade) is reported once and left
// alone; `test/conformance.test.ts` fails on it.
import type { EventEmitter } from 'node:events';
import type { Client } from 'aedes';

/** The parts of an mqtt-packet parser this module relies on. */
interface ParserInternals extends EventEmitter {
  packet: { cmd?: string; length: number; protocolId?: string; protocolVersion?: number };
  _parseLength(): boolean;
  _emitError(err: Error): unknown;
}

export interface GuardOptions {
  maxPacketSize: number;
  /** A packet declared `bytes` long was refused; its connection is being closed. */
  tooLarge(client: Client, bytes: number): void;
  /** A CONNECT with an unsupported protocol level was answered with CONNACK 0x01. */
  badLevel(client: Client, level: number): void;
  /** The parser is not of the expected shape: nothing is guarded. */
  unguarded(why: string): void;
}

/** CONNACK, remaining length 2, no session present, return code 1 (unacceptable protocol level). */
const CONNACK_BAD_LEVEL = Buffer.from([0x20, 0x02, 0x00, 0x01]);
const SUPPORTED_LEVELS = new Set([3, 4, 5]);

/** Bytes of the fixed header for a remaining length (1 type byte + 1–4 length bytes). */
const headerBytes = (remaining: number) => 1 + (remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4);

export function guardConnection(client: Client, options: GuardOptions): void {
  const parser = (client as unknown as { _parser?: ParserInternals })._parser;
  if (!parser || typeof parser._parseLength !== 'function' || typeof parser._emitError !== 'function' || !parser.packet) {
    options.unguarded('the aedes client has no mqtt-packet parser of the expected shape (_parser._parseLength)');
    return;
  }
  const parseLength = parser._parseLength;
  const { maxPacketSize } = options;
  parser._parseLength = function guardedLength(this: ParserInternals) {
    const complete = parseLength.call(this);
    if (!complete) return complete;
    const bytes = this.packet.length + headerBytes(this.packet.length);
    if (bytes <= maxPacketSize) return complete;
    options.tooLarge(client, bytes);
    this._emitError(new Error(`packet of ${bytes} bytes is larger than maxPacketSize (${maxPacketSize})`));
    return false;
  };
  parser.prependListener('error', () => {
    const { cmd, protocolId, protocolVersion } = parser.packet;
    if (cmd !== 'connect' || protocolVersion === undefined || SUPPORTED_LEVELS.has(protocolVersion)) return;
    if (protocolId !== 'MQTT' && protocolId !== 'MQIsdp') return; // not MQTT at all: close without an answer (MQTT-3.1.2-1)
    if (client.conn.writable) client.conn.write(CONNACK_BAD_LEVEL);
    options.badLevel(client, protocolVersion);
  });
}
