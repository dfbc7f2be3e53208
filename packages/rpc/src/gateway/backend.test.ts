import { Code, unauthenticated } from '@edge/errors';
import { testing } from '@edge/proto';

const { Echo } = testing;
import { createClient } from '../client';
import { insecureServer } from '../credentials';
import { createServer, listen, type Listening } from '../listen';
import { addService } from '../server';
import { echoImpl, type Seen } from '../test-echo';
import { createJsonGateway } from './gateway';
import { serveHttp, type HttpTestServer } from './test-http';

describe('JSON gateway backends', () => {
  const seen: Seen = { ctx: [], closed: [] };
  const impl = echoImpl(seen);
  const say = jest.spyOn(impl, 'say');
  let grpcServer: Listening;
  let client: ReturnType<typeof createClient<typeof Echo>>;
  let direct: HttpTestServer;
  let proxied: HttpTestServer;
  const post = (base: string, path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', body, headers });

  beforeAll(async () => {
    const auth = (ctx: { requestHeader: Headers }) => {
      if (ctx.requestHeader.get('authorization') !== 'Bearer t') throw unauthenticated('missing token');
    };
    const server = createServer();
    addService(server, Echo, impl, { auth });
    grpcServer = await listen(server, '127.0.0.1:0', insecureServer());
    client = createClient(Echo, `127.0.0.1:${grpcServer.port}`);
    direct = await serveHttp(createJsonGateway(Echo, impl, { auth, pathFor: (m) => `/v2/${m.localName}` }));
    proxied = await serveHttp(createJsonGateway(Echo, client));
  });
  afterAll(async () => {
    await Promise.all([direct.close(), proxied.close()]);
    client.close();
    await grpcServer.close(1000);
  });

  it('calls the same handler function over gRPC and over HTTP', async () => {
    say.mockClear();
    await client.say({ message: 'a' }, { metadata: { authorization: 'Bearer t' } });
    const res = await post(direct.url, '/v2/say', '{"message":"b"}', { authorization: 'Bearer t' });
    expect(res.status).toBe(200);
    expect(say.mock.calls.map((c) => [c[0].message, c[1].protocol])).toEqual([
      ['a', 'grpc'],
      ['b', 'http'],
    ]);
  });

  it('uses pathFor to choose paths', async () => {
    const res = await post(direct.url, '/v2/expand', '{"repeat_count":2}', { authorization: 'Bearer t' });
    expect((await res.text()).trim().split('\n')).toHaveLength(2);
  });

  it('applies the auth hook on HTTP too', async () => {
    const res = await post(direct.url, '/v2/say', '{}');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: Code.UNAUTHENTICATED,
      error: 'missing token',
      message: 'missing token',
    });
  });

  it('forwards through a client: auth header, trace id, errors and streams', async () => {
    const headers = { authorization: 'Bearer t', 'x-trace-id': 'proxytrace01' };
    const ok = await post(proxied.url, '/edge.testing.Echo/Say', '{"message":"via"}', headers);
    expect(await ok.json()).toMatchObject({ message: 'via', trace_id: 'proxytrace01' });
    expect(seen.ctx.at(-1)?.traceId).toBe('proxytrace01');

    const missing = await post(
      proxied.url,
      '/edge.testing.Echo/Say',
      '{"message":"nope","fail_code":5}',
      headers,
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: Code.NOT_FOUND, error: 'nope', message: 'nope' });

    const stream = await post(
      proxied.url,
      '/edge.testing.Echo/Expand',
      '{"message":"s","repeat_count":2}',
      headers,
    );
    expect(
      (await stream.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { result: expect.objectContaining({ sequence_number: 0 }) },
      { result: expect.objectContaining({ sequence_number: 1 }) },
    ]);

    const anon = await post(proxied.url, '/edge.testing.Echo/Say', '{}');
    expect(anon.status).toBe(401);
  });
});
