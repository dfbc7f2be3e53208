import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueClientCert, issueServerCert, writePem } from './index';

describe('pki', () => {
  it('issues a server certificate for localhost and 127.0.0.1, signed by the CA', async () => {
    const ca = await createCa();
    const server = await issueServerCert(ca);
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(server.certPem);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    expect(server.caPem).toBe(ca.certPem);
    expect(server.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('issues a client certificate carrying the CN', async () => {
    const ca = await createCa({ commonName: 'Region CA' });
    const client = await issueClientCert(ca, { commonName: 'crm-1' });
    const cert = new X509Certificate(client.certPem);
    expect(cert.subject).toBe('CN=crm-1');
    expect(cert.issuer).toBe('CN=Region CA');
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });

  it('does not verify against another CA', async () => {
    const [a, b] = await Promise.all([createCa(), createCa()]);
    const cert = new X509Certificate((await issueServerCert(a)).certPem);
    expect(cert.verify(new X509Certificate(b.certPem).publicKey)).toBe(false);
  });

  it('writes PEM files with private keys readable by the owner only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pki-'));
    try {
      const ca = await createCa();
      const server = await issueServerCert(ca);
      const files = await writePem(join(dir, 'tls'), { ca, server });
      expect(await readFile(files.server.certFile, 'utf8')).toBe(server.certPem);
      expect(await readFile(files.ca.keyFile, 'utf8')).toBe(ca.keyPem);
      expect((await stat(files.server.keyFile)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
