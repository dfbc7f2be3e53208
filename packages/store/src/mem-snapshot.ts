import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from '@edge/log';
import type { KeyValue } from './kv-store';

/** What a MemStore snapshot file holds: the revision and every key without a lease. */
export interface Snapshot {
  readonly revision: number;
  readonly kvs: readonly KeyValue[];
}

/** Reads a snapshot file; undefined when it does not exist. Throws on a corrupt file. */
export function loadSnapshot(file: string): Snapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const s = JSON.parse(text) as Snapshot;
  if (typeof s.revision !== 'number' || !Array.isArray(s.kvs))
    throw new Error(`${file}: not a MemStore snapshot`);
  return s;
}

/**
 * Writes snapshots atomically (temp file + rename) at most once per `debounceMs`: `changed()`
 * after each write, `flush()` on close. A failed write is logged and retried on the next change.
 */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly take: () => Snapshot,
    private readonly debounceMs: number,
    private readonly log: Logger,
  ) {}

  changed(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes now if anything changed since the last write; resolves when written. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const tmp = `${this.file}.tmp-${process.pid}`;
      try {
        await writeFile(tmp, JSON.stringify(this.take()));
        await rename(tmp, this.file);
      } catch (err) {
        this.dirty = true;
        this.log.error({ err, file: this.file }, 'writing store snapshot failed');
      }
    });
    return this.writing;
  }
}
