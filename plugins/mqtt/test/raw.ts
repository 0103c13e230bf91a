// MQTT packets written byte by byte, and a raw TCP client that records what the broker
// answers until it closes: for the conformance cases an MQTT client library will not send
// (an empty client id with a persistent session, a protocol level it does not speak, a
// PUBLISH declaring 256 MB).
import { connect, type Socket } from 'node:net';

/** MQTT's variable-length "remaining length" (§2.2.3). */
export function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

const str = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};

export interface ConnectFields {
  protocolName?: string;
  level?: number;
  clientId?: string;
  clean?: boolean;
  keepalive?: number;
  username?: string;
  password?: string;
}

export function connectPacket(f: ConnectFields = {}): Buffer {
  const level = f.level ?? 4;
  const flags = (f.clean ?? true ? 0x02 : 0) | (f.username !== undefined ? 0x80 : 0) | (f.password !== undefined ? 0x40 : 0);
  const keepalive = f.keepalive ?? 60;
  const header = [str(f.protocolName ?? 'MQTT'), Buffer.from([level, flags, keepalive >> 8, keepalive & 0xff])];
  if ((level & 0x7f) === 5) header.push(Buffer.from([0])); // MQTT 5: no properties
  const payload = [str(f.clientId ?? 'raw'), ...(f.username !== undefined ? [str(f.username)] : []), ...(f.password !== undefined ? [str(f.password)] : [])];
  const body = Buffer.concat([...header, ...payload]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

/** A QoS 0 PUBLISH. */
export function publishPacket(topic: string, payload: Buffer | string): Buffer {
  const body = Buffer.concat([str(topic), Buffer.from(payload)]);
  return Buffer.concat([Buffer.from([0x30]), remainingLength(body.length), body]);
}

/** The fixed header of a QoS 0 PUBLISH that declares `declared` bytes to follow. */
export const publishHeader = (declared: number) => Buffer.concat([Buffer.from([0x30]), remainingLength(declared)]);

export const CONNACK = (returnCode: number) => Buffer.from([0x20, 0x02, 0x00, returnCode]);

export interface RawClient {
  socket: Socket;
  /** Every byte received so far. */
  received(): Buffer;
  /** Resolves with every byte received once the broker closed the connection. */
  closed: Promise<Buffer>;
  /** Resolves once at least `n` bytes have arrived. */
  bytes(n: number): Promise<Buffer>;
  write(data: Buffer): void;
}

export function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const waiters: Array<{ n: number; resolve: (b: Buffer) => void }> = [];
    const all = () => Buffer.concat(chunks);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const got = all();
      for (const w of waiters.splice(0)) {
        if (got.length >= w.n) w.resolve(got);
        else waiters.push(w);
      }
    });
    socket.on('error', () => {}); // a reset by the broker is an answer too
    const closed = new Promise<Buffer>((done) => socket.once('close', () => done(all())));
    socket.once('connect', () =>
      resolve({
        socket,
        received: all,
        closed,
        bytes: (n) => new Promise((done) => (all().length >= n ? done(all()) : waiters.push({ n, resolve: done }))),
        write: (data) => void socket.write(data),
      }),
    );
    socket.once('error', reject);
  });
}
