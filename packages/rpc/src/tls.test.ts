import { Code, EdgeError } from '@edge/errors';
import { createCa, issueClientCert, issueServerCert, writePem, type IssuedCert } from '@edge/pki';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientTls, loadClientTls, loadServerTls, serverTls } from './credentials';
import { collect, failure, startEcho, type EchoHarness } from './test-harness';
import { requests } from './test-echo';

const pem = (c: IssuedCert) => ({ cert: c.certPem, key: c.keyPem });

async function everyShape(h: EchoHarness): Promise<void> {
  expect((await h.client.say({ message: 'hi' })).message).toBe('hi');
  expect(await collect(h.client.expand({ message: 'x', repeatCount: 2 }))).toHaveLength(2);
  expect((await h.client.collect(requests(['a', 'b']))).message).toBe('a b');
  expect((await collect(h.client.chat(requests(['a', 'b'])))).map((r) => r.message)).toEqual(['a', 'b']);
}

describe('gRPC adapter over TLS and mutual TLS', () => {
  let server: IssuedCert;
  let client: IssuedCert;
  let caPem: string;
  const open: EchoHarness[] = [];
  const start = async (...args: Parameters<typeof startEcho>): Promise<EchoHarness> => {
    const h = await startEcho(...args);
    open.push(h);
    return h;
  };
  beforeAll(async () => {
    const ca = await createCa();
    caPem = ca.certPem;
    server = await issueServerCert(ca);
    client = await issueClientCert(ca, { commonName: 'crm-eu-1' });
  });
  afterAll(() => Promise.all(open.map((h) => h.close())));

  it('serves every shape over TLS (server auth only)', async () => {
    const h = await start({}, { credentials: clientTls({ ca: caPem }) }, serverTls(pem(server)));
    await everyShape(h);
    expect(h.seen.ctx[0]?.peerCertificate).toBeUndefined();
  });

  it('serves every shape over mutual TLS and shows the handler the client CN', async () => {
    const creds = clientTls({ ca: caPem, cert: client.certPem, key: client.keyPem });
    const h = await start({}, { credentials: creds }, serverTls({ ...pem(server), ca: caPem }));
    await everyShape(h);
    expect((await h.client.say({})).peerIdentity).toBe('crm-eu-1');
    expect(h.seen.ctx.every((c) => c.peerCertificate?.subject.CN === 'crm-eu-1')).toBe(true);
  });

  it('refuses a client without a certificate under mutual TLS', async () => {
    const h = await start(
      {},
      { credentials: clientTls({ ca: caPem }), defaultDeadlineMs: 3000 },
      serverTls({ ...pem(server), ca: caPem }),
    );
    const e = await failure(h.client.say({}));
    expect(e).toBeInstanceOf(EdgeError);
    expect(e.code).toBe(Code.UNAVAILABLE);
    expect(h.seen.ctx).toHaveLength(0);
  });

  it('refuses a client certificate from another CA', async () => {
    const other = await createCa();
    const stranger = await issueClientCert(other, { commonName: 'intruder' });
    const creds = clientTls({ ca: caPem, cert: stranger.certPem, key: stranger.keyPem });
    const h = await start(
      {},
      { credentials: creds, defaultDeadlineMs: 3000 },
      serverTls({ ...pem(server), ca: caPem }),
    );
    const e = await failure(h.client.say({}));
    expect(e.code).toBe(Code.UNAVAILABLE);
    expect(h.seen.ctx).toHaveLength(0);
  });

  it('loads credentials from PEM files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rpc-tls-'));
    try {
      const files = await writePem(dir, { server, client, ca: { certPem: caPem, keyPem: '' } });
      const serverCreds = await loadServerTls({ ...files.server, caFile: files.ca.certFile });
      const clientCreds = await loadClientTls({ caFile: files.ca.certFile, ...files.client });
      const h = await start({}, { credentials: clientCreds }, serverCreds);
      expect((await h.client.say({})).peerIdentity).toBe('crm-eu-1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a client cert without its key', () => {
    expect(() => clientTls({ ca: caPem, cert: client.certPem })).toThrow(
      'cert and key must be given together',
    );
  });
});
