import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// File layout: MAGIC | iv (12) | GCM tag (16) | ciphertext. The magic doubles as
// additional authenticated data, so a file of another format or version never decrypts.
const MAGIC = Buffer.from('EDGESEC1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALG = 'aes-256-gcm';

/** Encrypts `plain` with AES-256-GCM under `key` and a fresh random IV. */
export function seal(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALG, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(MAGIC);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

/** Why `unseal` failed. */
export type UnsealFailure = 'not-sealed' | 'wrong-key';

/**
 * Decrypts what `seal` made. Returns `not-sealed` for data of another format and
 * `wrong-key` when authentication fails (a different key, or tampered data): never
 * garbage plaintext.
 */
export function unseal(key: Buffer, sealed: Buffer): Buffer | UnsealFailure {
  const head = MAGIC.length + IV_BYTES + TAG_BYTES;
  if (sealed.length < head || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) return 'not-sealed';
  const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = sealed.subarray(MAGIC.length + IV_BYTES, head);
  const decipher = createDecipheriv(ALG, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(MAGIC);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(head)), decipher.final()]);
  } catch {
    return 'wrong-key';
  }
}
