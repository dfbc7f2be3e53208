import { create } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { DmeError } from './dme-error';
import { dme } from './proto';
import { createRestTransport, restPath } from './rest-transport';
import { startStubDme } from './testing/stub-dme';

async function caught(p: Promise<unknown>): Promise<DmeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DmeError) return err;
    throw new Error(`expected a DmeError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to fail');
}

/** A fetch answering every request with `status` and `body`, recording requests. */
function cannedFetch(status: number, body: string, seen: { url: string; init: RequestInit }[] = []) {
  return (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
}

const register = create(dme.RegisterClientRequestSchema, {
  orgName: 'devorg',
  appName: 'game',
  appVers: '1.0',
});

describe('REST transport', () => {
  it('posts snake_case JSON to the schema path of the method', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const t = createRestTransport({
      baseUrl: 'http://dme.example:38001/',
      fetch: cannedFetch(200, '{"status":"RS_SUCCESS","session_cookie":"c","future_field":1}', seen),
      headers: { 'x-app': 'demo' },
    });
    const reply = await t.unary('registerClient', register);
    expect(reply).toMatchObject({ status: dme.ReplyStatus.RS_SUCCESS, sessionCookie: 'c' });
    expect(seen[0]?.url).toBe('http://dme.example:38001/v1/registerclient');
    expect(seen[0]?.init.method).toBe('POST');
    expect(JSON.parse(seen[0]?.init.body as string)).toEqual({
      org_name: 'devorg',
      app_name: 'game',
      app_vers: '1.0',
    });
    expect(seen[0]?.init.headers).toMatchObject({ 'x-app': 'demo', 'content-type': 'application/json' });
  });

  it('knows every unary device path', () => {
    const paths = dme.MatchEngineApi.methods.filter((m) => m.methodKind === 'unary').map(restPath);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/findcloudlet',
        '/v1/getappinstlist',
        '/v1/verifylocation',
        '/v1/getfqdnlist',
      ]),
    );
  });

  it('maps the grpc-gateway error body', async () => {
    const body = JSON.stringify({ code: 8, error: 'rate limit exceeded', message: 'rate limit exceeded' });
    const t = createRestTransport({ baseUrl: 'http://x', fetch: cannedFetch(429, body) });
    const err = await caught(t.unary('registerClient', register));
    expect(err).toMatchObject({
      code: Code.RESOURCE_EXHAUSTED,
      httpStatus: 429,
      message: 'rate limit exceeded',
    });
  });

  it('derives the code from the HTTP status when the body is not a status', async () => {
    const t = createRestTransport({
      baseUrl: 'http://x',
      fetch: cannedFetch(502, '<html>bad gateway</html>'),
    });
    const err = await caught(t.unary('registerClient', register));
    expect(err).toMatchObject({ code: Code.INTERNAL, httpStatus: 502 });
  });

  it('reports an unreachable DME as UNAVAILABLE', async () => {
    const stub = await startStubDme();
    const url = stub.restUrl;
    await stub.close();
    const err = await caught(createRestTransport({ baseUrl: url }).unary('registerClient', register));
    expect(err).toMatchObject({ code: Code.UNAVAILABLE, httpStatus: 503 });
    expect(err.message).toMatch(/^DME unreachable/);
  });

  it('times out as DEADLINE_EXCEEDED and cancels as CANCELLED', async () => {
    const hang = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      )) as unknown as typeof fetch;
    const t = createRestTransport({ baseUrl: 'http://x', fetch: hang });
    const late = await caught(t.unary('registerClient', register, { timeoutMs: 20 }));
    expect(late).toMatchObject({ code: Code.DEADLINE_EXCEEDED, httpStatus: 504 });
    const ac = new AbortController();
    const p = t.unary('registerClient', register, { signal: ac.signal });
    ac.abort();
    expect(await caught(p)).toMatchObject({ code: Code.CANCELLED });
  });

  it('refuses a reply that is not JSON', async () => {
    const t = createRestTransport({ baseUrl: 'http://x', fetch: cannedFetch(200, 'not json') });
    expect(await caught(t.unary('registerClient', register))).toMatchObject({ code: Code.INTERNAL });
  });
});

describe('DmeError', () => {
  it('keeps code and text of transport errors', () => {
    const e = DmeError.from(new DmeError(Code.NOT_FOUND, 'app not found'));
    expect(e).toMatchObject({ code: Code.NOT_FOUND, httpStatus: 404, message: 'app not found' });
    expect(
      DmeError.fromHttp(401, { code: 16, error: 'invalid or expired cookie', message: '' }),
    ).toMatchObject({
      code: Code.UNAUTHENTICATED,
      httpStatus: 401,
      message: 'invalid or expired cookie',
    });
    expect(DmeError.fromHttp(404, undefined, 'Not Found')).toMatchObject({
      code: Code.NOT_FOUND,
      message: 'Not Found',
    });
  });
});
