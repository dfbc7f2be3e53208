import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fromBinary, toBinary, type DescMessage, type Message, type Registry } from '@bufbuild/protobuf';
import type { CrmCacheSnapshot } from './crm-cache';

/** Format version of the state file. */
const VERSION = 1;

/** What a CRM keeps on disk between runs. */
export interface CrmState {
  /** Key JSON of the cloudlet the state belongs to. */
  readonly cloudlet: string;
  /** The notify revision the objects include everything up to (the resume point). */
  readonly notifyRevision: number;
  readonly cache: CrmCacheSnapshot;
}

interface StateFileJson {
  version: number;
  cloudlet: string;
  notifyRevision: number;
  cacheRevision: number;
  /** Objects as base64 protobuf binary, by full type name. */
  objects: { type: string; key: string; data: string }[];
}

/**
 * Writes the state to `file` atomically: a temporary file beside it, flushed to disk,
 * then renamed over the old one, so a crash leaves either the old or the new state.
 */
export async function writeStateFile(file: string, state: CrmState, registry: Registry): Promise<void> {
  const schemaOf = (obj: Message): DescMessage => {
    const schema = registry.getMessage(obj.$typeName);
    if (!schema) throw new Error(`state file: unknown type ${obj.$typeName}`);
    return schema;
  };
  const json: StateFileJson = {
    version: VERSION,
    cloudlet: state.cloudlet,
    notifyRevision: state.notifyRevision,
    cacheRevision: state.cache.revision,
    objects: state.cache.objects.map((o) => ({
      type: o.type,
      key: o.key,
      data: Buffer.from(toBinary(schemaOf(o.obj), o.obj)).toString('base64'),
    })),
  };
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(json));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

/**
 * Reads the state of cloudlet `cloudlet` (key JSON) from `file`. Undefined when there is
 * none, when it belongs to another cloudlet or another format; objects of types
 * `registry` does not know are left out.
 */
export async function readStateFile(
  file: string,
  cloudlet: string,
  registry: Registry,
): Promise<CrmState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const json = JSON.parse(text) as Partial<StateFileJson>;
  if (json.version !== VERSION || json.cloudlet !== cloudlet) return undefined;
  const objects: { type: string; key: string; obj: Message }[] = [];
  for (const o of json.objects ?? []) {
    const schema = registry.getMessage(o.type);
    if (schema)
      objects.push({ type: o.type, key: o.key, obj: fromBinary(schema, Buffer.from(o.data, 'base64')) });
  }
  return {
    cloudlet,
    notifyRevision: json.notifyRevision ?? 0,
    cache: { revision: json.cacheRevision ?? 0, objects },
  };
}
