import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { failedPrecondition, invalidArgument } from '@edge/errors';
import type { Logger } from '@edge/log';

/** Length of the AES-256 master key. */
export const MASTER_KEY_BYTES = 32;

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * Reads a master key written as 64 hex digits or base64 (standard or URL-safe) of 32
 * bytes. Errors name `what` but never echo the key.
 */
export function parseMasterKey(text: string, what: string): Buffer {
  const t = text.trim();
  const key = HEX.test(t) ? Buffer.from(t, 'hex') : BASE64.test(t) ? Buffer.from(t, 'base64') : undefined;
  if (key?.length !== MASTER_KEY_BYTES) {
    throw invalidArgument(`${what}: want ${MASTER_KEY_BYTES} bytes as 64 hex digits or base64`);
  }
  return key;
}

/**
 * The master key in `file`: 32 raw bytes, or hex/base64 text (e.g. from
 * `openssl rand -hex 32`). A missing file is created with a new random key, mode 0600.
 */
export async function loadMasterKeyFile(file: string, log: Logger): Promise<Buffer> {
  const existing = await readKeyFile(file);
  if (existing !== undefined) return existing;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // `wx`: when two processes start at once, one creates the key and the other reads it.
    await writeFile(file, randomBytes(MASTER_KEY_BYTES), { mode: 0o600, flag: 'wx' });
    log.info({ file }, 'created secret store master key file');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const created = await readKeyFile(file);
  if (created === undefined) throw failedPrecondition(`master key file ${file} vanished after creation`);
  return created;
}

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return raw.length === MASTER_KEY_BYTES
    ? raw
    : parseMasterKey(raw.toString('utf8'), `master key file ${file}`);
}
