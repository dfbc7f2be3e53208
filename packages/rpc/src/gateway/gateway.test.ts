import { Code } from '@edge/errors';
import { createLogger, memoryLog } from '@edge/log';
import { googleApi } from '@edge/proto';

const httpRule = googleApi.http;
import { testing } from '@edge/proto';

const { Echo } = testing;
import { echoImpl, type Seen } from '../test-echo';
import { createJsonGateway, type GatewayOptions } from './gateway';
import { serveHttp, type HttpTestServer } from './test-http';

const NOT_FOUND_TEXT = 'App key {"organization":"o","name":"a","version":"1"} not found';

describe('JSON gateway', () => {
  const mem = memoryLog();
  const seen: Seen = { ctx: [], closed: [] };
  let gw: HttpTestServer;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(gw.url + path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const options: GatewayOptions = {
    httpRule,
    log: createLogger({ name: 'gw', destination: mem.stream }),
    transformInput: (json) => {
      // Stands in for the DME's enum short names: "HIGH" → "VOLUME_HIGH".
      const o = json as Record<string, unknown>;
      return typeof o.volume === 'string' && !o.volume.startsWith('VOLUME_')
        ? { ...o, volume: `VOLUME_${o.volume}` }
        : json;
    },
  };
  beforeAll(async () => {
    gw = await serveHttp(createJsonGateway(Echo, echoImpl(seen), options));
  });
  afterAll(() => gw.close());

  it('serves a unary method at its google.api.http path, snake_case in and out, defaults emitted', async () => {
    const res = await post('/api/v1/echo/say', '{"message":"hi","repeat_count":2,"volume":"VOLUME_HIGH"}');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      message: 'hi',
      sequence_number: 0,
      volume: 'VOLUME_HIGH',
      peer_identity: '',
      trace_id: res.headers.get('x-trace-id'),
    });
  });

  it('accepts lowerCamel names and enum numbers', async () => {
    const res = await post('/api/v1/echo/say', '{"message":"camel","repeatCount":1,"volume":1}');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ message: 'camel', volume: 'VOLUME_LOW' });
    expect(seen.ctx.at(-1)?.protocol).toBe('http');
  });

  it('treats an empty body as an empty message', async () => {
    const res = await post('/api/v1/echo/say', '');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ message: '', volume: 'VOLUME_UNSPECIFIED', sequence_number: 0 });
  });

  it('runs the input hook before decoding', async () => {
    const res = await post('/api/v1/echo/say', '{"volume":"HIGH"}');
    expect(await res.json()).toMatchObject({ volume: 'VOLUME_HIGH' });
  });

  it('reads and echoes the trace id', async () => {
    const res = await post('/api/v1/echo/say', '{}', { 'x-trace-id': 'abc123def' });
    expect(res.headers.get('x-trace-id')).toBe('abc123def');
    expect(await res.json()).toMatchObject({ trace_id: 'abc123def' });
    expect(mem.lines().find((l) => l.traceId === 'abc123def' && l.msg === 'rpc')).toMatchObject({
      protocol: 'http',
    });
  });

  it('rejects unknown fields with 400 and a clear message', async () => {
    const res = await post('/api/v1/echo/say', '{"message":"x","colour":"red"}');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: number; error: string; message: string };
    expect(body.code).toBe(Code.INVALID_ARGUMENT);
    expect(body.message).toContain('edge.testing.EchoRequest');
    expect(body.message).toContain('"colour"');
    expect(body.error).toBe(body.message);
  });

  it('rejects invalid JSON with 400', async () => {
    const res = await post('/api/v1/echo/say', '{"message":');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^invalid JSON body/);
  });

  it('sends errors with the HTTP status of their code and the grpc-gateway body', async () => {
    const res = await post(
      '/api/v1/echo/say',
      JSON.stringify({ message: NOT_FOUND_TEXT, fail_code: Code.NOT_FOUND }),
    );
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      code: Code.NOT_FOUND,
      error: NOT_FOUND_TEXT,
      message: NOT_FOUND_TEXT,
    });
  });

  it('hides unexpected errors as 500 Internal error', async () => {
    const res = await post('/api/v1/echo/say', '{"message":"crash","fail_code":1}');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      code: Code.INTERNAL,
      error: 'Internal error',
      message: 'Internal error',
    });
    expect(text).not.toContain('secret detail');
  });

  it('serves server streaming as JSON lines of {"result": …}', async () => {
    const res = await post('/edge.testing.Echo/Expand', '{"message":"s","repeat_count":3}');
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual(
      [0, 1, 2].map((i) => ({ result: expect.objectContaining({ message: 's', sequence_number: i }) })),
    );
  });

  it('ends a stream that fails after the first message with an error line', async () => {
    const res = await post(
      '/edge.testing.Echo/Expand',
      JSON.stringify({ message: 'gone', repeat_count: 3, fail_code: 5 }),
    );
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { result: expect.objectContaining({ message: 'gone', sequence_number: 0 }) },
      { error: { code: Code.NOT_FOUND, message: 'gone' } },
    ]);
  });

  it('sends an empty stream as 200 with no lines', async () => {
    const res = await post('/edge.testing.Echo/Expand', '{}');
    expect([res.status, await res.text()]).toEqual([200, '']);
  });

  it('does not serve client-streaming or bidi methods, nor other verbs', async () => {
    expect((await post('/edge.testing.Echo/Collect', '{}')).status).toBe(404);
    expect((await post('/edge.testing.Echo/Chat', '{}')).status).toBe(404);
    const get = await fetch(`${gw.url}/api/v1/echo/say`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('passes unknown paths to next() when mounted as middleware', () => {
    const handler = createJsonGateway(Echo, echoImpl(), options);
    const next = jest.fn();
    handler({ url: '/other', method: 'POST' } as never, {} as never, next);
    expect(next).toHaveBeenCalledWith();
  });
});
