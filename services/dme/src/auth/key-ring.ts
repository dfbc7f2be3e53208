import { randomBytes } from 'node:crypto';
import type { SecretStore } from '@edge/secrets';

/** Where the DME signing keys live in the secret store (the original: Vault region JWKs). */
export const DME_KEYS_PATH = 'dme/jwtkeys';

/**
 * HS512 signing keys by version (`kid`): the newest signs, every kept version verifies, so
 * a rotation does not invalidate cookies already handed out. Stored in the secret store as
 * `{ "<kid>": "<base64 secret>", … }`; `reload()` picks up a rotation done elsewhere.
 */
export class KeyRing {
  private keys = new Map<number, Buffer>();
  private currentKid = 0;

  private constructor(
    private readonly store: SecretStore,
    private readonly path: string,
  ) {}

  /** Loads the keys, creating the first one when there are none. */
  static async open(store: SecretStore, path = DME_KEYS_PATH): Promise<KeyRing> {
    const ring = new KeyRing(store, path);
    await ring.reload();
    if (ring.currentKid === 0) await ring.rotate();
    return ring;
  }

  /** The signing key version. */
  get kid(): number {
    return this.currentKid;
  }

  /** Key of version `kid`, if kept. */
  key(kid: number): Buffer | undefined {
    return this.keys.get(kid);
  }

  /** The current signing key. */
  signingKey(): Buffer {
    return this.keys.get(this.currentKid)!;
  }

  async reload(): Promise<void> {
    const data = (await this.store.get(this.path)) ?? {};
    const keys = new Map<number, Buffer>();
    for (const [k, v] of Object.entries(data)) {
      const kid = Number(k);
      if (Number.isInteger(kid) && kid > 0) keys.set(kid, Buffer.from(v, 'base64'));
    }
    this.keys = keys;
    this.currentKid = Math.max(0, ...keys.keys());
  }

  /** Adds a new key version, which signs from now on; `keep` newest versions are kept. */
  async rotate(keep = 3): Promise<number> {
    await this.reload();
    const kid = this.currentKid + 1;
    const data: Record<string, string> = {};
    const kids = [...this.keys.keys(), kid].sort((a, b) => b - a).slice(0, keep);
    for (const k of kids)
      data[String(k)] = (k === kid ? randomBytes(64) : this.keys.get(k)!).toString('base64');
    await this.store.put(this.path, data);
    await this.reload();
    return kid;
  }
}
