import { checkSecretPath, checkSecretPrefix, copySecretData, listChildren } from './secret-path';
import type { SecretData, SecretStore } from './secret-store';

/**
 * A SecretStore in process memory, for unit tests. It passes the same conformance tests
 * as the file backend; nothing survives the process.
 */
export class MemorySecretStore implements SecretStore {
  readonly #secrets = new Map<string, SecretData>();

  async get(path: string): Promise<SecretData | undefined> {
    checkSecretPath(path);
    const data = this.#secrets.get(path);
    return data === undefined ? undefined : { ...data };
  }

  async put(path: string, data: SecretData): Promise<void> {
    checkSecretPath(path);
    this.#secrets.set(path, copySecretData(path, data));
  }

  async delete(path: string): Promise<void> {
    checkSecretPath(path);
    this.#secrets.delete(path);
  }

  async list(prefix: string): Promise<string[]> {
    checkSecretPrefix(prefix);
    return listChildren(this.#secrets.keys(), prefix);
  }
}
