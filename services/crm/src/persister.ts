import type { Registry } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import type { CrmCache } from './crm-cache';
import { writeStateFile } from './state-file';

/** Options of a {@link StatePersister}. */
export interface StatePersisterOptions {
  readonly file: string;
  /** Key JSON of the cloudlet. */
  readonly cloudlet: string;
  readonly cache: CrmCache;
  /** The notify client's applied revision (the resume point). */
  readonly revision: () => number;
  readonly registry: Registry;
  /** How often to check for something to write; default 500 ms. */
  readonly intervalMs?: number;
  readonly log: Logger;
}

/**
 * Keeps the CRM's desired state (its cache) and notify resume revision on disk, so a
 * restarted CRM resumes where it stopped and a CRM without its Controller still knows
 * what should run. Writes are batched (at most one per interval) and atomic; the revision
 * is read together with the objects, and the client only advances it past changes it has
 * already applied, so the file never claims more than it holds.
 */
export class StatePersister {
  private dirty = false;
  private written = -1;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: StatePersisterOptions) {
    this.unsubscribe = options.cache.subscribe(() => (this.dirty = true));
  }

  start(): void {
    const interval = this.options.intervalMs ?? 500;
    this.timer = setInterval(() => void this.flush(), interval);
    this.timer.unref?.();
  }

  /** Writes now if anything changed since the last write. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe();
    await this.flush();
  }

  private async write(): Promise<void> {
    const { cache, revision, file, cloudlet, registry, log } = this.options;
    const rev = revision();
    if (!this.dirty && rev === this.written) return;
    this.dirty = false;
    try {
      await writeStateFile(file, { cloudlet, notifyRevision: rev, cache: cache.dump() }, registry);
      this.written = rev;
    } catch (err) {
      this.dirty = true;
      log.error({ err, file }, 'writing the CRM state failed');
    }
  }
}
