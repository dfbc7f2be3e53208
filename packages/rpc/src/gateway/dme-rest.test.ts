import { Code, EdgeError, invalidArgument } from '@edge/errors';
import { silentLogger } from '@edge/log';
import { dme } from '@edge/proto';
import { googleApi } from '@edge/proto';

const httpRule = googleApi.http;
import type { ServiceImpl } from '../service-types';
import { createJsonGateway } from './gateway';
import { serveHttp, type HttpTestServer } from './test-http';

/** The device API served from the schema alone: every path comes from the dme protos. */
function deviceApi(): ServiceImpl<typeof dme.MatchEngineApi> {
  const impl: Record<string, unknown> = {};
  for (const m of dme.MatchEngineApi.methods) {
    impl[m.localName] = () => {
      throw new EdgeError(Code.UNIMPLEMENTED, `${m.name} not implemented`);
    };
  }
  impl['registerClient'] = (req: dme.RegisterClientRequest) => {
    if (!req.orgName) throw invalidArgument('OrgName cannot be empty');
    return { status: dme.ReplyStatus.RS_SUCCESS, sessionCookie: `cookie-for-${req.appName}` };
  };
  return impl as ServiceImpl<typeof dme.MatchEngineApi>;
}

describe('DME REST from the schema', () => {
  let gw: HttpTestServer;
  beforeAll(async () => {
    gw = await serveHttp(
      createJsonGateway(dme.MatchEngineApi, deviceApi(), { httpRule, log: silentLogger() }),
    );
  });
  afterAll(() => gw.close());

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(gw.url + path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it('answers POST /v1/registerclient with snake_case JSON, defaults included', async () => {
    const res = await post('/v1/registerclient', { org_name: 'devorg', app_name: 'app1', app_vers: '1.0' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ver: 0,
      status: 'RS_SUCCESS',
      session_cookie: 'cookie-for-app1',
      token_server_uri: '',
      unique_id_type: '',
      unique_id: '',
      tags: {},
    });
  });

  it('accepts the SDKs lowerCamel field names too', async () => {
    const res = await post('/v1/registerclient', { orgName: 'devorg', appName: 'app2', appVers: '1.0' });
    expect(await res.json()).toMatchObject({ session_cookie: 'cookie-for-app2' });
  });

  it('returns the original error text with the matching HTTP status', async () => {
    const res = await post('/v1/registerclient', { app_name: 'a', app_vers: '1' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: 3,
      error: 'OrgName cannot be empty',
      message: 'OrgName cannot be empty',
    });
  });

  it('serves every device API path of the schema', async () => {
    const res = await post('/v1/findcloudlet', { session_cookie: 'x' });
    expect(res.status).toBe(501);
    const paths = dme.MatchEngineApi.methods.map((m) => m.name);
    expect(paths).toEqual(expect.arrayContaining(['FindCloudlet', 'GetAppInstList', 'StreamEdgeEvent']));
  });
});
