/** The data of one secret: string keys to string values, like a Vault KV v2 secret. */
export type SecretData = Record<string, string>;

/**
 * Where the Controller keeps secrets (cloudlet credentials, its CA keys, …).
 *
 * Shaped after Vault's KV v2 engine so a Vault backend can replace the file backend
 * without touching callers. Paths are relative, `/`-separated names such as
 * `cloudlet/op/c1/accessvars` (see `checkSecretPath`); the mount and region prefix belong
 * to the backend's configuration, not to the paths.
 *
 * Values never reach logs: backends log paths at most.
 */
export interface SecretStore {
  /** The secret at `path`, or undefined when there is none. The result is the caller's copy. */
  get(path: string): Promise<SecretData | undefined>;
  /** Stores `data` at `path`, replacing the whole secret (KV v2 writes a new version). */
  put(path: string, data: SecretData): Promise<void>;
  /** Removes the secret at `path`; removing a missing secret is not an error. */
  delete(path: string): Promise<void>;
  /**
   * Names directly under the folder `prefix` (`''` or ending in `/`), sorted, like Vault's
   * LIST: secrets by name, sub-folders with a trailing `/`. A missing folder lists as `[]`.
   *
   * @example
   *   // secrets at cloudlet/op/c1/accessvars and cloudlet/op/c2/accessvars
   *   await store.list('cloudlet/op/'); // ['c1/', 'c2/']
   */
  list(prefix: string): Promise<string[]>;
}
