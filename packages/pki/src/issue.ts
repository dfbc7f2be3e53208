import type { CertificateAuthority } from './ca';
import { ALG, crypto, importSigningKey, newKeys, privateKeyPem, serialNumber, validity, x509 } from './x509';

/** An issued certificate with its key and the CA that signed it, all PEM. */
export interface IssuedCert {
  readonly certPem: string;
  readonly keyPem: string;
  /** Certificate of the issuing CA, for the peer's trust store. */
  readonly caPem: string;
}

/** Options of `issueServerCert`. */
export interface ServerCertOptions {
  /** Subject CN; default `localhost`. */
  commonName?: string;
  /** DNS SANs; default `['localhost']`. */
  dnsNames?: readonly string[];
  /** IP SANs; default `['127.0.0.1']`. */
  ipAddresses?: readonly string[];
  /** Days of validity; default 825. */
  validDays?: number;
}

/** Options of `issueClientCert`. */
export interface ClientCertOptions {
  /** Subject CN: the identity servers see, e.g. a node name or user. */
  commonName: string;
  /** Days of validity; default 825. */
  validDays?: number;
}

/** Issues a server certificate (serverAuth) for the given names. */
export function issueServerCert(
  ca: CertificateAuthority,
  options: ServerCertOptions = {},
): Promise<IssuedCert> {
  const dns = options.dnsNames ?? ['localhost'];
  const ips = options.ipAddresses ?? ['127.0.0.1'];
  return issue(ca, options.commonName ?? 'localhost', options.validDays, x509.ExtendedKeyUsage.serverAuth, [
    ...dns.map((value) => ({ type: 'dns' as const, value })),
    ...ips.map((value) => ({ type: 'ip' as const, value })),
  ]);
}

/** Issues a client certificate (clientAuth) whose CN is the client's identity. */
export function issueClientCert(ca: CertificateAuthority, options: ClientCertOptions): Promise<IssuedCert> {
  return issue(ca, options.commonName, options.validDays, x509.ExtendedKeyUsage.clientAuth, []);
}

async function issue(
  ca: CertificateAuthority,
  commonName: string,
  validDays: number | undefined,
  usage: x509.ExtendedKeyUsage,
  sans: x509.JsonGeneralNames,
): Promise<IssuedCert> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await newKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
    new x509.ExtendedKeyUsageExtension([usage], false),
    await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans, false));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: [{ CN: [commonName] }],
      issuer: caCert.subjectName,
      ...validity(validDays ?? 825),
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: await importSigningKey(ca.keyPem),
      extensions,
    },
    crypto,
  );
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey), caPem: ca.certPem };
}
