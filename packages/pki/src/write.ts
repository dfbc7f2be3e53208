import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Anything with a certificate and key in PEM: a CA or an issued certificate. */
export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Paths written for one pair. */
export interface WrittenPair {
  certFile: string;
  keyFile: string;
}

/**
 * Writes each pair as `<dir>/<name>.crt` and `<dir>/<name>.key` (keys mode 0600),
 * creating `dir`, and returns the paths by name.
 *
 * @example
 *   await writePem(dir, { ca, server, 'client-crm': client });
 */
export async function writePem<N extends string>(
  dir: string,
  pairs: Record<N, PemPair>,
): Promise<Record<N, WrittenPair>> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const out = {} as Record<N, WrittenPair>;
  for (const name of Object.keys(pairs) as N[]) {
    const pair = pairs[name];
    const certFile = join(dir, `${name}.crt`);
    const keyFile = join(dir, `${name}.key`);
    await writeFile(certFile, pair.certPem, { mode: 0o644 });
    await writeFile(keyFile, pair.keyPem, { mode: 0o600 });
    out[name] = { certFile, keyFile };
  }
  return out;
}
