// A fake OBS Studio for the tests: a real obs-websocket v5 server (JSON subprotocol
// `obswebsocket.json`) on a real socket, built on `ws` — not a mock of the client. It
// speaks the protocol the client must get right:
//   Hello (op 0) with an authentication challenge and salt → Identify (op 1), whose
//   authentication string it checks as obs-websocket does,
//   base64(sha256(base64(sha256(password + salt)) + challenge)), with node:crypto (not the
//   client's crypto-js) — a wrong or missing one is closed with 4009 → Identified (op 2);
//   Request (op 6) → RequestResponse (op 7) with a requestStatus.
// StartRecord/StopRecord keep an output state and answer OBS's codes (500 OutputRunning,
// 501 OutputNotRunning); any request can be made to fail (`refuse`) or never answered (`silent`).
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeObsOptions {
  password?: string;
  /** Requests answered with a failed requestStatus. */
  refuse?: Record<string, { code: number; comment: string }>;
  /** Requests never answered. */
  silent?: string[];
  /** false: accept the socket but never say Hello (a hung server). */
  hello?: boolean;
}

export interface FakeObs {
  url: string;
  /** Identified requests, in order. */
  requests: Array<{ requestType: string; requestData?: Record<string, unknown> }>;
  identified: number;
  authFailures: number;
  recording: boolean;
  options: FakeObsOptions;
  /** Close every client connection (OBS quitting), keeping the server. */
  dropClients(code?: number): void;
  close(): Promise<void>;
}

const b64sha256 = (s: string) => createHash('sha256').update(s).digest('base64');

export async function startFakeObs(options: FakeObsOptions = {}): Promise<FakeObs> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('obswebsocket.json') ? 'obswebsocket.json' : false),
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const fake: FakeObs = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    requests: [],
    identified: 0,
    authFailures: 0,
    recording: false,
    options,
    dropClients: (code = 1001) => wss.clients.forEach((c) => c.close(code, 'OBS is shutting down')),
    close: () =>
      new Promise((resolve) => {
        wss.clients.forEach((c) => c.terminate());
        wss.close(() => resolve());
      }),
  };

  wss.on('connection', (socket: WebSocket) => {
    const salt = randomBytes(32).toString('base64');
    const challenge = randomBytes(32).toString('base64');
    let identified = false;
    const send = (op: number, d: unknown) => socket.send(JSON.stringify({ op, d }));
    if (options.hello !== false) send(0, { obsWebSocketVersion: '5.5.0', rpcVersion: 1, ...(options.password !== undefined && { authentication: { challenge, salt } }) });

    socket.on('message', (raw) => {
      let msg: { op?: number; d?: Record<string, unknown> };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return socket.close(4002, 'Message decode error');
      }
      const d = msg.d ?? {};
      if (msg.op === 1) {
        if (d.rpcVersion !== 1) return socket.close(4010, 'Unsupported RPC version');
        if (options.password !== undefined) {
          const expected = b64sha256(b64sha256(options.password + salt) + challenge);
          if (d.authentication !== expected) {
            fake.authFailures++;
            return socket.close(4009, 'Authentication failed.');
          }
        }
        identified = true;
        fake.identified++;
        return send(2, { negotiatedRpcVersion: 1 });
      }
      if (msg.op === 6) {
        if (!identified) return socket.close(4007, 'Not identified');
        const requestType = String(d.requestType);
        const requestId = d.requestId;
        fake.requests.push({ requestType, ...(d.requestData !== undefined && { requestData: d.requestData as Record<string, unknown> }) });
        if (options.silent?.includes(requestType)) return;
        const answer = (result: boolean, code: number, comment?: string, responseData?: unknown) =>
          send(7, { requestType, requestId, requestStatus: { result, code, ...(comment && { comment }) }, ...(responseData !== undefined && { responseData }) });
        const refused = options.refuse?.[requestType];
        if (refused) return answer(false, refused.code, refused.comment);
        switch (requestType) {
          case 'StartRecord':
            if (fake.recording) return answer(false, 500, 'The output is already running.');
            fake.recording = true;
            return answer(true, 100);
          case 'StopRecord':
            if (!fake.recording) return answer(false, 501, 'The output is not running.');
            fake.recording = false;
            return answer(true, 100, undefined, { outputPath: `/videos/take-${fake.requests.length}.mp4` });
          case 'CreateRecordChapter':
            if (!fake.recording) return answer(false, 501, 'The output is not running.');
            return answer(true, 100);
          default:
            return answer(false, 204, `Your request type is not valid: ${requestType}`);
        }
      }
    });
  });
  return fake;
}
