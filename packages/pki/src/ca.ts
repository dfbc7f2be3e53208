import { ALG, crypto, newKeys, privateKeyPem, serialNumber, validity, x509 } from './x509';

/** A certificate authority: its certificate and private key, both PEM. */
export interface CertificateAuthority {
  /** The CA certificate; what clients and servers trust. */
  readonly certPem: string;
  /** PKCS#8 private key that signs issued certificates. Keep it out of logs. */
  readonly keyPem: string;
}

/** Options of `createCa`. */
export interface CaOptions {
  /** Subject CN; default `Edge Cloud Test CA`. */
  commonName?: string;
  /** Days of validity; default 3650. */
  validDays?: number;
}

/** Makes a new self-signed CA. */
export async function createCa(options: CaOptions = {}): Promise<CertificateAuthority> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: [{ CN: [options.commonName ?? 'Edge Cloud Test CA'] }],
      ...validity(options.validDays ?? 3650),
      signingAlgorithm: ALG,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}
