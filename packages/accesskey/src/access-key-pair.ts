import { generateKeyPairSync } from 'node:crypto';

/** A cloudlet access key pair, PEM, in the original's encodings (SPKI and PKCS#8). */
export interface AccessKeyPair {
  /** `-----BEGIN PUBLIC KEY-----`; stored in `Cloudlet.crm_access_public_key`. */
  readonly publicPem: string;
  /** `-----BEGIN PRIVATE KEY-----`; handed to the CRM once and never stored or logged. */
  readonly privatePem: string;
}

/**
 * Makes a new ed25519 access key pair, as the Controller does on CreateCloudlet,
 * GenerateAccessKey and UpgradeAccessKey. Keys interoperate with the original's
 * `node.GenerateAccessKey` / `LoadPubPEM` / `LoadPrivPEM`.
 */
export function generateAccessKeyPair(): AccessKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicPem: publicKey, privatePem: privateKey };
}
