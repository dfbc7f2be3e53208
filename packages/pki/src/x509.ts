// tsyringe, under @peculiar/x509, needs the Reflect metadata API before it loads.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export { x509 };

/** Node's WebCrypto, passed explicitly to every @peculiar/x509 call instead of a global provider. */
export const crypto: webcrypto.Crypto = webcrypto;

type CryptoKey = webcrypto.CryptoKey;

/** Key and signature algorithm of every key made here: ECDSA P-256 with SHA-256 (fast, TLS 1.2/1.3). */
export const ALG: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};

/** A new exportable key pair. */
export function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
}

/** PKCS#8 PEM of a private key. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** Reads a PKCS#8 PEM private key for signing. */
export function importSigningKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), ALG, false, ['sign']);
}

/** A random positive 16-byte serial number in hex. */
export function serialNumber(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0] ?? 0) & 0x7f;
  return Buffer.from(b).toString('hex');
}

/** Validity window starting a minute ago, so freshly issued certs are valid on skewed clocks. */
export function validity(days: number): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Date.now() - 60_000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * 86_400_000) };
}
