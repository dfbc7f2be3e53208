import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { failedPrecondition, invalidArgument } from '@edge/errors';
import { silentLogger, type Logger } from '@edge/log';
import { loadMasterKeyFile, parseMasterKey, MASTER_KEY_BYTES } from './master-key';
import { seal, unseal } from './sealed-box';
import { checkSecretPath, checkSecretPrefix, copySecretData, listChildren } from './secret-path';
import type { SecretData, SecretStore } from './secret-store';

/** Options of `FileSecretStore.open`. Give exactly one of `masterKey` and `masterKeyFile`. */
export interface FileSecretStoreOptions {
  /** The encrypted store; created on the first write. */
  file: string;
  /** The master key: 64 hex digits or base64 of 32 bytes, or the 32 bytes themselves. */
  masterKey?: string | Uint8Array;
  /** File holding the master key; created with a new random key (mode 0600) if missing. */
  masterKeyFile?: string;
  /** Logs file paths and counts, never values; default silent. */
  log?: Logger;
}

interface Content {
  v: 1;
  secrets: Record<string, SecretData>;
}

/**
 * A SecretStore in one file, encrypted at rest with AES-256-GCM (a fresh IV per write).
 * Writes go to a temporary file that is synced and renamed over the store (mode 0600),
 * so a crash leaves the old or the new content, never a mix.
 *
 * Operations of one instance run one at a time. Each one re-reads the file when it
 * changed on disk, so another process sees writes; but two processes writing at once
 * can lose an update (no cross-process lock) — several Controllers should share Vault.
 */
export class FileSecretStore implements SecretStore {
  readonly #file: string;
  readonly #key: Buffer;
  #secrets = new Map<string, SecretData>();
  /** Identity of the file content held in #secrets; undefined when there is no file. */
  #stamp: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, key: Buffer) {
    this.#file = file;
    this.#key = key;
  }

  /**
   * Opens (or prepares to create) the store. Fails with FAILED_PRECONDITION when the
   * master key does not decrypt an existing file, and INVALID_ARGUMENT on bad options.
   *
   * @example
   *   const secrets = await FileSecretStore.open({ file: '/var/lib/edge/secrets.enc', masterKeyFile: '/etc/edge/master.key', log });
   */
  static async open(options: FileSecretStoreOptions): Promise<FileSecretStore> {
    const log = options.log ?? silentLogger();
    const store = new FileSecretStore(options.file, await masterKeyOf(options, log));
    await store.#run(() => store.#refresh());
    log.info({ file: options.file, secrets: store.#secrets.size }, 'opened secret store');
    return store;
  }

  get(path: string): Promise<SecretData | undefined> {
    return this.#run(async () => {
      checkSecretPath(path);
      await this.#refresh();
      const data = this.#secrets.get(path);
      return data === undefined ? undefined : { ...data };
    });
  }

  put(path: string, data: SecretData): Promise<void> {
    return this.#run(async () => {
      checkSecretPath(path);
      const copy = copySecretData(path, data);
      await this.#refresh();
      await this.#write(new Map(this.#secrets).set(path, copy));
    });
  }

  delete(path: string): Promise<void> {
    return this.#run(async () => {
      checkSecretPath(path);
      await this.#refresh();
      if (!this.#secrets.has(path)) return;
      const next = new Map(this.#secrets);
      next.delete(path);
      await this.#write(next);
    });
  }

  list(prefix: string): Promise<string[]> {
    return this.#run(async () => {
      checkSecretPrefix(prefix);
      await this.#refresh();
      return listChildren(this.#secrets.keys(), prefix);
    });
  }

  /** Runs `op` after every operation queued before it. */
  #run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(op);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Reloads #secrets when the file is not the one last read or written. */
  async #refresh(): Promise<void> {
    const stamp = await stampOf(this.#file);
    if (stamp === this.#stamp) return;
    this.#secrets = stamp === undefined ? new Map() : this.#decode(await readFile(this.#file));
    this.#stamp = stamp;
  }

  #decode(sealed: Buffer): Map<string, SecretData> {
    const plain = unseal(this.#key, sealed);
    if (plain === 'not-sealed')
      throw failedPrecondition(`secret store ${this.#file}: not an encrypted store file`);
    if (plain === 'wrong-key') {
      throw failedPrecondition(
        `secret store ${this.#file}: the master key does not decrypt it (wrong key, or the file was altered)`,
      );
    }
    const content = JSON.parse(plain.toString('utf8')) as Content;
    if (content.v !== 1)
      throw failedPrecondition(`secret store ${this.#file}: unknown version ${String(content.v)}`);
    return new Map(Object.entries(content.secrets));
  }

  async #write(next: Map<string, SecretData>): Promise<void> {
    const content: Content = { v: 1, secrets: Object.fromEntries(next) };
    const sealed = seal(this.#key, Buffer.from(JSON.stringify(content), 'utf8'));
    await mkdir(dirname(this.#file), { recursive: true, mode: 0o700 });
    const tmp = `${this.#file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(sealed);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.#file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    this.#secrets = next;
    this.#stamp = await stampOf(this.#file);
  }
}

async function masterKeyOf(options: FileSecretStoreOptions, log: Logger): Promise<Buffer> {
  const { masterKey, masterKeyFile } = options;
  if ((masterKey === undefined) === (masterKeyFile === undefined)) {
    throw invalidArgument('secret store: give exactly one of masterKey and masterKeyFile');
  }
  if (masterKeyFile !== undefined) return loadMasterKeyFile(masterKeyFile, log);
  if (typeof masterKey === 'string') return parseMasterKey(masterKey, 'masterKey');
  if (masterKey?.length !== MASTER_KEY_BYTES)
    throw invalidArgument(`masterKey: want ${MASTER_KEY_BYTES} bytes`);
  return Buffer.from(masterKey);
}

/** Changes whenever the file is replaced (rename gives a new inode) or rewritten. */
async function stampOf(file: string): Promise<string | undefined> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
