import { rejection as failure } from '@edge/testing';
// CloudletAccessApi over real gRPC (our adapter): who may call, and what each cloudlet gets.
import { X509Certificate } from 'node:crypto';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type * as grpc from '@grpc/grpc-js';
import { Code } from '@edge/errors';
import { createLogger, memoryLog } from '@edge/log';
import { createCa, issueServerCert } from '@edge/pki';
import { edgeproto } from '@edge/proto';
import {
  addService,
  clientTls,
  createClient,
  createServer,
  insecureServer,
  listen,
  serverTls,
  type Client,
  type Listening,
} from '@edge/rpc';
import { MemorySecretStore } from '@edge/secrets';
import { createAccessApi, type AccessApi, type AccessApiOptions } from './access-api';
import {
  generateAccessKeyPair,
  cloudletKeyJson,
  accessKeyInterceptor,
  accessKeyMetadata,
} from '@edge/accesskey';
import { putCloudletAccessVars } from './cloudlet-access-vars';

type Key = MessageInitShape<typeof edgeproto.CloudletKeySchema>;
type AccessClient = Client<typeof edgeproto.CloudletAccessApi>;

const C1: Key = { organization: 'op', name: 'c1' };
const C2: Key = { organization: 'op', name: 'c2' };
const OLD: Key = { organization: 'op', name: 'old' };

describe('CloudletAccessApi over gRPC', () => {
  const k1 = generateAccessKeyPair();
  const k2 = generateAccessKeyPair();
  const kOld = generateAccessKeyPair();
  const cloudlets = new Map(
    [
      { key: C1, crmAccessPublicKey: k1.publicPem },
      { key: C2, crmAccessPublicKey: k2.publicPem },
      { key: OLD, crmAccessPublicKey: kOld.publicPem, crmAccessKeyUpgradeRequired: true },
    ].map((c) => [cloudletKeyJson(c.key), create(edgeproto.CloudletSchema, c)]),
  );
  const secrets = new MemorySecretStore();
  const logs = memoryLog();
  const log = createLogger({ name: 'controller', level: 'debug', destination: logs.stream });
  const started: { close(): void | Promise<void> }[] = [];

  async function serve(
    credentials: grpc.ServerCredentials = insecureServer(),
    extra: Partial<AccessApiOptions> = {},
  ): Promise<{ api: AccessApi; listening: Listening }> {
    const api = createAccessApi({
      secrets,
      lookupCloudlet: (k) => Promise.resolve(cloudlets.get(k)),
      log,
      badAuthDelayMs: 0,
      otherCas: { 'pki-regional': 'REGIONAL CA PEM' },
      ...extra,
    });
    const server = createServer();
    addService(server, api.service, api.impl, { log, auth: api.auth });
    const listening = await listen(server, '127.0.0.1:0', credentials);
    started.push({ close: () => listening.close(500) });
    return { api, listening };
  }

  function connect(
    port: number,
    privatePem: string,
    key: Key,
    credentials?: grpc.ChannelCredentials,
  ): AccessClient {
    const client = createClient(edgeproto.CloudletAccessApi, `localhost:${port}`, {
      defaultDeadlineMs: 5000,
      interceptors: [accessKeyInterceptor(privatePem, key)],
      ...(credentials ? { credentials } : {}),
    });
    started.push(client);
    return client;
  }

  let port: number;
  beforeAll(async () => {
    await putCloudletAccessVars(secrets, C1, { OS_USERNAME: 'c1-user', OS_PASSWORD: 'c1-secret-pw' });
    await putCloudletAccessVars(secrets, C2, { OS_USERNAME: 'c2-user', OS_PASSWORD: 'c2-secret-pw' });
    port = (await serve()).listening.port;
  });
  afterAll(async () => {
    for (const s of started.reverse()) await s.close();
  });

  it('issues a certificate from the regional-cloudlet CA to a verified cloudlet', async () => {
    const c1 = connect(port, k1.privatePem, C1);
    const reply = await c1.issueCert({ commonName: 'crm-c1' });
    const cert = new X509Certificate(reply.publicCertPem);
    expect(cert.subject).toBe('CN=crm-c1');
    expect(cert.issuer).toBe('CN=pki-regional-cloudlet');
    expect(reply.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const { caChainPem } = await c1.getCas({ issuer: 'pki-regional-cloudlet' });
    expect(cert.checkIssued(new X509Certificate(caChainPem))).toBe(true);
    expect(cert.verify(new X509Certificate(caChainPem).publicKey)).toBe(true);
  });

  it('keeps the CA in the secret store: another Controller issues from the same CA', async () => {
    const c1 = connect(port, k1.privatePem, C1);
    const first = await c1.getCas({ issuer: 'pki-regional-cloudlet' });
    const second = await serve();
    expect((await second.api.regionalCa()).certPem).toBe(first.caChainPem);
    const other = connect(second.listening.port, k1.privatePem, C1);
    const cert = new X509Certificate((await other.issueCert({ commonName: 'crm-c1' })).publicCertPem);
    expect(cert.checkIssued(new X509Certificate(first.caChainPem))).toBe(true);
  });

  it('refuses calls signed with the wrong key', async () => {
    const forger = connect(port, k2.privatePem, C1);
    const err = await failure(forger.issueCert({ commonName: 'crm-c1' }));
    expect(err.code).toBe(Code.UNAUTHENTICATED);
    expect(err.message).toBe('Failed to verify cloudlet access key signature');
    const data = await failure(forger.getAccessData({ type: 'get-cloudlet-access-vars' }));
    expect(data.message).toBe('Failed to verify cloudlet access key signature');
  });

  it('refuses calls without an access key', async () => {
    const anon = createClient(edgeproto.CloudletAccessApi, `localhost:${port}`, { defaultDeadlineMs: 5000 });
    started.push(anon);
    const err = await failure(anon.getCas({ issuer: 'pki-regional-cloudlet' }));
    expect(err.code).toBe(Code.UNAUTHENTICATED);
    expect(err.message).toBe('error, access-key-data not found in metadata');
  });

  it('refuses a key that requires an upgrade, naming the call', async () => {
    const old = connect(port, kOld.privatePem, OLD);
    const err = await failure(old.issueCert({ commonName: 'crm-old' }));
    expect(err.code).toBe(Code.PERMISSION_DENIED);
    expect(err.message).toBe(
      'access key requires upgrade, does not allow api call /edgeproto.CloudletAccessApi/IssueCert',
    );
  });

  it("returns only the verified cloudlet's access vars", async () => {
    const vars = async (c: AccessClient): Promise<unknown> =>
      JSON.parse(Buffer.from((await c.getAccessData({ type: 'get-cloudlet-access-vars' })).data).toString());
    expect(await vars(connect(port, k1.privatePem, C1))).toEqual({
      OS_PASSWORD: 'c1-secret-pw',
      OS_USERNAME: 'c1-user',
    });
    expect(await vars(connect(port, k2.privatePem, C2))).toEqual({
      OS_PASSWORD: 'c2-secret-pw',
      OS_USERNAME: 'c2-user',
    });
  });

  it("refuses a request for another cloudlet's data", async () => {
    const c1 = connect(port, k1.privatePem, C1);
    const err = await failure(
      c1.getAccessData({ type: 'get-cloudlet-access-vars', data: Buffer.from(cloudletKeyJson(C2)) }),
    );
    expect(err.code).toBe(Code.PERMISSION_DENIED);
    expect(err.message).toBe(
      'access key of cloudlet {"organization":"op","name":"c1"} does not allow access to cloudlet {"organization":"op","name":"c2"}',
    );
    const own = await c1.getAccessData({
      type: 'get-cloudlet-access-vars',
      data: Buffer.from(cloudletKeyJson(C1)),
    });
    expect(Buffer.from(own.data).toString()).toContain('c1-user');
  });

  it("cannot reach another cloudlet's data by sending its key with one's own signature", async () => {
    const md = accessKeyMetadata(k1.privatePem, C1);
    md['access-key-data'] = cloudletKeyJson(C2);
    const anon = createClient(edgeproto.CloudletAccessApi, `localhost:${port}`, { defaultDeadlineMs: 5000 });
    started.push(anon);
    const err = await failure(anon.getAccessData({ type: 'get-cloudlet-access-vars' }, { metadata: md }));
    expect(err.message).toBe('Failed to verify cloudlet access key signature');
  });

  it('answers unknown and unsupported data types clearly', async () => {
    const c1 = connect(port, k1.privatePem, C1);
    const unknown = await failure(c1.getAccessData({ type: 'get-everything' }));
    expect(unknown.code).toBe(Code.INVALID_ARGUMENT);
    expect(unknown.message).toBe('Unexpected request data type get-everything');
    const ssh = await failure(
      c1.getAccessData({ type: 'sign-ssh-key', data: Buffer.from('ssh-ed25519 AAAA') }),
    );
    expect(ssh.code).toBe(Code.UNIMPLEMENTED);
    expect(ssh.message).toBe(
      'access data type sign-ssh-key is not supported: the Controller holds no SSH CA yet',
    );
  });

  it('reports a cloudlet without stored access vars', async () => {
    const secretsLess = { organization: 'op', name: 'bare' };
    const kb = generateAccessKeyPair();
    cloudlets.set(
      cloudletKeyJson(secretsLess),
      create(edgeproto.CloudletSchema, { key: secretsLess, crmAccessPublicKey: kb.publicPem }),
    );
    const err = await failure(
      connect(port, kb.privatePem, secretsLess).getAccessData({ type: 'get-cloudlet-access-vars' }),
    );
    expect(err.code).toBe(Code.NOT_FOUND);
    expect(err.message).toBe('No access vars stored for cloudlet {"organization":"op","name":"bare"}');
  });

  it('serves known CA chains and names the issuers it knows', async () => {
    const c1 = connect(port, k1.privatePem, C1);
    expect((await c1.getCas({ issuer: 'pki-regional' })).caChainPem).toBe('REGIONAL CA PEM');
    const err = await failure(c1.getCas({ issuer: 'pki-global' }));
    expect(err.code).toBe(Code.INVALID_ARGUMENT);
    expect(err.message).toBe(
      'Unknown CA issuer "pki-global", expected one of pki-regional-cloudlet, pki-regional',
    );
    const cn = await failure(c1.issueCert({ commonName: '' }));
    expect(cn.message).toBe('common name must be 1 to 64 characters');
  });

  it('pauses before refusing a bad key', async () => {
    const slow = await serve(insecureServer(), { badAuthDelayMs: 200 });
    const forger = connect(slow.listening.port, k2.privatePem, C1);
    const start = Date.now();
    await failure(forger.getCas({ issuer: 'pki-regional-cloudlet' }));
    expect(Date.now() - start).toBeGreaterThanOrEqual(180);
  });

  it('works over TLS, and the issued certificate authenticates the cloudlet under mutual TLS', async () => {
    const serverCa = await createCa({ commonName: 'pki-regional' });
    const serverCert = await issueServerCert(serverCa);
    const tls = await serve(serverTls({ cert: serverCert.certPem, key: serverCert.keyPem }));
    const c1 = connect(tls.listening.port, k1.privatePem, C1, clientTls({ ca: serverCa.certPem }));
    const issued = await c1.issueCert({ commonName: 'crm-c1' });
    const { caChainPem } = await c1.getCas({ issuer: 'pki-regional-cloudlet' });

    // A server that only admits clients with certificates of the regional-cloudlet CA.
    const mtls = await serve(serverTls({ cert: serverCert.certPem, key: serverCert.keyPem, ca: caChainPem }));
    const withCert = clientTls({
      ca: serverCa.certPem,
      cert: issued.publicCertPem,
      key: issued.privateKeyPem,
    });
    const viaCert = connect(mtls.listening.port, k1.privatePem, C1, withCert);
    expect((await viaCert.getCas({ issuer: 'pki-regional-cloudlet' })).caChainPem).toBe(caChainPem);
  });

  it('never logs access vars, private keys or signatures', () => {
    const text = JSON.stringify(logs.lines());
    expect(text).toContain('access key auth failed');
    expect(text).toContain('issued cloudlet certificate');
    for (const secret of [
      'c1-secret-pw',
      'c2-secret-pw',
      'PRIVATE KEY',
      accessKeyMetadata(k1.privatePem, C1)['access-key-sig'],
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
