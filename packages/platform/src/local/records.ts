/**
 * What the local platform keeps on disk, one directory per object under its data dir:
 * `clusters/<name>/cluster.json` and `appinsts/<name>/{spec.json,pid,out.log,err.log}`.
 * The files are the platform's whole state, so a restarted CRM finds its instances again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PortSpec } from './ports';

/** A ClusterInst: bookkeeping only, the local platform runs no cluster processes. */
export interface ClusterRecord {
  readonly keyJson: string;
  readonly name: string;
  readonly deployment: string;
  readonly numNodes: number;
  readonly nodeFlavor: string;
  readonly createdAt: string;
}

/** A running (or last run) AppInst process. */
export interface AppInstRecord {
  readonly keyJson: string;
  readonly name: string;
  /** App name, for messages and the responder's answers. */
  readonly app: string;
  readonly pid: number;
  /** /proc start time of `pid`, undefined where /proc is missing. */
  readonly startTime?: string;
  /** The App's command run with `sh -c`; undefined for the built-in responder. */
  readonly command?: string;
  readonly bindHost: string;
  readonly ports: readonly PortSpec[];
  /** Size of its flavor, for resource accounting (RAM MB, disk GB). */
  readonly flavor: { readonly ram: number; readonly vcpus: number; readonly disk: number };
  readonly startedAt: string;
}

export type RecordKind = 'clusters' | 'appinsts';

const SPEC_FILE: Record<RecordKind, string> = { clusters: 'cluster.json', appinsts: 'spec.json' };

/**
 * A file-system-safe, readable, unique directory name: the key's names joined, sanitized
 * and shortened, plus a hash of the key JSON so that different keys never collide.
 */
export function recordName(parts: readonly string[], keyJson: string): string {
  const readable = parts
    .filter((p) => p)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 60);
  const hash = createHash('sha256').update(keyJson).digest('hex').slice(0, 8);
  return readable ? `${readable}-${hash}` : hash;
}

/** The record directories of one data dir. */
export class RecordStore {
  constructor(private readonly dataDir: string) {}

  dir(kind: RecordKind, name: string): string {
    return join(this.dataDir, kind, name);
  }

  file(kind: RecordKind, name: string, file: string): string {
    return join(this.dir(kind, name), file);
  }

  /** Writes the record atomically (temp file + rename), creating its directory. */
  write(kind: RecordKind, name: string, record: ClusterRecord | AppInstRecord): void {
    const dir = this.dir(kind, name);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.${SPEC_FILE[kind]}.tmp`);
    writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(tmp, join(dir, SPEC_FILE[kind]));
  }

  readCluster(name: string): ClusterRecord | undefined {
    return this.read('clusters', name) as ClusterRecord | undefined;
  }

  readAppInst(name: string): AppInstRecord | undefined {
    return this.read('appinsts', name) as AppInstRecord | undefined;
  }

  /** Names of the records of a kind with a readable spec file. */
  names(kind: RecordKind): string[] {
    let entries: string[];
    try {
      entries = readdirSync(join(this.dataDir, kind));
    } catch {
      return [];
    }
    return entries.filter((n) => this.read(kind, n) !== undefined).sort();
  }

  remove(kind: RecordKind, name: string): void {
    rmSync(this.dir(kind, name), { recursive: true, force: true });
  }

  private read(kind: RecordKind, name: string): unknown {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(this.dir(kind, name), SPEC_FILE[kind]), 'utf8'));
      return typeof parsed === 'object' && parsed !== null && 'keyJson' in parsed ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}
