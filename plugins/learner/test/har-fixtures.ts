// A HAR 1.2 file like a browser's network panel saves (pages, cookies, timings, Chrome's
// `_` fields), built in code so each test can bend one field.
type Obj = Record<string, any>;

export function harEntry(over: Obj = {}): Obj {
  const base = {
    pageref: 'page_1',
    startedDateTime: '2025-10-01T10:00:00.000Z',
    time: 42.5,
    request: {
      method: 'GET',
      url: 'https://api.example.com/users/42?expand=orders&tag=a&tag=b',
      httpVersion: 'HTTP/1.1',
      cookies: [{ name: 'sid', value: 's3cr3t' }],
      headers: [
        { name: 'Host', value: 'api.example.com' },
        { name: 'Authorization', value: 'Bearer abc.def' },
        { name: 'Accept', value: 'application/json' },
        { name: 'X-Trace', value: '1' },
        { name: 'x-trace', value: '2' },
      ],
      queryString: [
        { name: 'expand', value: 'orders' },
        { name: 'tag', value: 'a' },
        { name: 'tag', value: 'b' },
      ],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [
        { name: 'Content-Type', value: 'application/json; charset=utf-8' },
        { name: 'Set-Cookie', value: 'sid=1' },
      ],
      content: { size: 27, mimeType: 'application/json; charset=utf-8', text: '{"id":42,"name":"Ada L."}' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 27,
    },
    cache: {},
    timings: { blocked: 0.5, dns: -1, connect: -1, send: 0.2, wait: 40, receive: 1.8, ssl: -1 },
    serverIPAddress: '192.0.2.10',
    connection: '443',
  };
  return deepMerge(base, over);
}

function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) delete out[k];
    else if (v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object' && !Array.isArray(a[k])) out[k] = deepMerge(a[k], v);
    else out[k] = v;
  }
  return out;
}

export function harFile(entries: Obj[]): Obj {
  return {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      browser: { name: 'Chrome', version: '141.0' },
      pages: [{ startedDateTime: '2025-10-01T10:00:00.000Z', id: 'page_1', title: 'Shop', pageTimings: { onContentLoad: 120, onLoad: 300 } }],
      entries,
    },
  };
}
