import { STATUS_CODES, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** The fetch signature the client needs (global fetch, or a test double). */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

/** A failed MC call; `message` is what mcctl prints after `Error: `. */
export class McError extends Error {
  override readonly name = 'McError';
  /** HTTP status, 0 if the request never got an answer. */
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Where and as whom the client talks to the MC. */
export interface ClientOptions {
  /** MC address; `http://` is added when no scheme is given. */
  readonly addr: string;
  readonly token?: string;
  readonly fetch: FetchFn;
  /** Called with a curl command line per request (the original's `--debug`). */
  readonly debug?: (line: string) => void;
}

/** The status text and code prefix the original puts before HTTP errors: `Bad Request (400), `. */
export const statusPrefix = (status: number): string => `${STATUS_CODES[status] ?? ''} (${status}), `;

function errorFromBody(status: number, body: string): McError {
  try {
    const res = JSON.parse(body) as { message?: unknown };
    if (typeof res === 'object' && res !== null) return new McError(status, String(res.message ?? ''));
  } catch {
    // not JSON: the body is the error text
  }
  return new McError(status, body);
}

/** Why a fetch failed: undici hides the socket error in `cause` (checked by shape: errors may come from another realm). */
function reason(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown; code?: unknown } } | null;
  const cause = e?.cause;
  if (cause && (cause.message || cause.code)) return String(cause.message || cause.code);
  return typeof e?.message === 'string' ? e.message : String(err);
}

/** Client of the MC's REST API (`POST /api/v1/...`, JSON bodies, JSON-lines streams). */
export class McClient {
  constructor(private readonly opts: ClientOptions) {}

  /** Base URL of the API, e.g. `http://127.0.0.1:9900/api/v1`. */
  get base(): string {
    const a = this.opts.addr.replace(/\/+$/, '');
    return `${/^https?:\/\//.test(a) ? a : `http://${a}`}/api/v1`;
  }

  private async send(path: string, body: unknown, auth: boolean): Promise<Response> {
    const url = this.base + path;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (auth && this.opts.token) headers['Authorization'] = `Bearer ${this.opts.token}`;
    const data = body === undefined ? undefined : JSON.stringify(body);
    if (this.opts.debug) {
      let curl = `curl -X POST "${url}" -H "Content-Type: application/json"`;
      if (headers['Authorization']) curl += ' -H "Authorization: Bearer ${TOKEN}"';
      if (data !== undefined) curl += ` --data-raw '${data}'`;
      this.opts.debug(curl);
    }
    try {
      return await this.opts.fetch(url, {
        method: 'POST',
        headers,
        ...(data !== undefined ? { body: data } : {}),
      });
    } catch (err) {
      throw new McError(0, `POST ${url} client do failed, ${reason(err)}`);
    }
  }

  /** One request, one JSON reply. Throws McError for non-200 replies (`{"message":…}`). */
  async post(path: string, body: unknown, auth = true): Promise<unknown> {
    const res = await this.send(path, body, auth);
    const text = await res.text();
    if (res.status !== 200) throw errorFromBody(res.status, text);
    return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
  }

  /**
   * A streamed request: calls `onData` with each `{"data":…}` line as it arrives; a
   * `{"result":{"message":…}}` line ends the stream with an McError carrying that message.
   */
  async stream(path: string, body: unknown, onData: (data: unknown) => void, auth = true): Promise<void> {
    const res = await this.send(path, body, auth);
    if (res.status !== 200) throw errorFromBody(res.status, await res.text());
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    const handle = (line: string): void => {
      if (line.trim() === '') return;
      let payload: { data?: unknown; result?: { message?: unknown } };
      try {
        payload = JSON.parse(line) as typeof payload;
      } catch (err) {
        throw new McError(
          res.status,
          `post ${this.base + path} decode resp failed, ${(err as Error).message}`,
        );
      }
      if (payload.result) throw new McError(res.status, String(payload.result.message ?? ''));
      onData(payload.data);
    };
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        handle(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    }
    handle(buf + decoder.decode());
  }
}

/**
 * A fetch over node:http(s) that skips TLS certificate checks (`--skipverify`); global
 * fetch cannot be told to without another dependency.
 */
export const insecureFetch: FetchFn = (url, init) =>
  new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      {
        method: init.method ?? 'GET',
        headers: init.headers as Record<string, string>,
        rejectUnauthorized: false,
      },
      (res) => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        resolve(
          new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, {
            status: res.statusCode ?? 0,
            headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(typeof init.body === 'string' ? init.body : undefined);
  });
