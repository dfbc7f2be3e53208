import type { Logger } from '@edge/log';
import type { Db } from '../db/db';
import { DEFAULT_CONFIG, withDefaults, type RuntimeConfig } from './runtime-config';

/** How long a replica trusts its copy before re-reading (other MCs may have updated it). */
const CACHE_MS = 5_000;

/**
 * The runtime settings row (`configs`, id 1) for every area: read through a short cache,
 * replaced on update. `current()` is the last value read, for synchronous hot paths
 * (the rate limiter), and is refreshed in the background when stale.
 */
export class ConfigStore {
  private value: RuntimeConfig = { ...DEFAULT_CONFIG };
  private readAt = -Infinity;
  private readonly listeners: ((c: RuntimeConfig) => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates the row with the defaults, or fills unset settings of an existing one. */
  async init(): Promise<RuntimeConfig> {
    const config = await this.db.tx(async (q) => {
      await q.query(`INSERT INTO configs (id, data) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [
        DEFAULT_CONFIG,
      ]);
      const rows = await q.query<{ data: Record<string, unknown> }>(
        `SELECT data FROM configs WHERE id = 1 FOR UPDATE`,
      );
      const { config, changed } = withDefaults(rows[0]?.data ?? {});
      if (changed) await q.query(`UPDATE configs SET data = $1 WHERE id = 1`, [config]);
      return config;
    });
    this.set(config);
    return config;
  }

  /** The settings, re-read when the cached copy is older than a few seconds. */
  async get(): Promise<RuntimeConfig> {
    if (this.now() - this.readAt < CACHE_MS) return this.value;
    return this.refresh();
  }

  /** Reads the row now. */
  async refresh(): Promise<RuntimeConfig> {
    const row = await this.db.one<{ data: Record<string, unknown> }>(`SELECT data FROM configs WHERE id = 1`);
    this.set(withDefaults(row?.data ?? {}).config);
    return this.value;
  }

  /** The last settings read (never waits; triggers a refresh when stale). */
  current(): RuntimeConfig {
    if (this.now() - this.readAt >= CACHE_MS) {
      this.readAt = this.now(); // one refresh at a time
      this.refresh().catch((err: unknown) => this.log.warn({ err }, 'config refresh failed'));
    }
    return this.value;
  }

  /** Stores `config` as the new settings. */
  async save(config: RuntimeConfig): Promise<void> {
    await this.db.query(
      `INSERT INTO configs (id, data) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data`,
      [config],
    );
    this.set(config);
  }

  /** Called with the new settings whenever they are read or saved. */
  onChange(fn: (c: RuntimeConfig) => void): void {
    this.listeners.push(fn);
  }

  private set(config: RuntimeConfig): void {
    this.value = config;
    this.readAt = this.now();
    for (const fn of this.listeners) fn(config);
  }
}
