export interface JsonReply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: any;
  text: string;
}

/**
 * fetch for tests: `json` is sent as a JSON body, the answer is read as JSON when it
 * is JSON, and a request that gets no answer fails after 10 s instead of hanging.
 */
export async function fetchJson(url: string, init: RequestInit & { json?: unknown } = {}): Promise<JsonReply> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    signal: AbortSignal.timeout(10_000),
    ...rest,
    ...(json !== undefined && { body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...rest.headers } }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body, text };
}
