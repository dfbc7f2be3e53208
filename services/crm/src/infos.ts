import { clone, type DescMessage } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { InstInfo, InstKind } from './kinds';
import type { Upward } from './upward';

/**
 * The CRM's ClusterInstInfo and AppInstInfo objects (its reports to the Controller), by
 * kind and key JSON. Every change is sent up as a new message: the notify engine packs a
 * published object once, so a sent one is never changed afterwards.
 */
export class InstInfos {
  private readonly infos = new Map<string, Map<string, InstInfo>>();

  constructor(private readonly upward: Upward) {}

  get(kind: InstKind, key: string): InstInfo | undefined {
    return this.infos.get(kind.name)?.get(key);
  }

  list(kind: InstKind): InstInfo[] {
    return [...(this.infos.get(kind.name)?.values() ?? [])];
  }

  /** Stores `info` and sends it up. */
  put(kind: InstKind, key: string, info: InstInfo): void {
    let m = this.infos.get(kind.name);
    if (!m) this.infos.set(kind.name, (m = new Map()));
    m.set(key, info);
    this.upward.update(kind.infoType, key, info);
  }

  /** Changes a copy of the stored info (or of `base` when there is none) and puts it. */
  modify(kind: InstKind, key: string, base: InstInfo, fn: (info: InstInfo) => void): InstInfo {
    const cur = this.get(kind, key) ?? base;
    const next = clone(schemaOf(cur), cur) as InstInfo;
    fn(next);
    this.put(kind, key, next);
    return next;
  }

  /** Forgets the info and deletes it upstream. */
  delete(kind: InstKind, key: string): void {
    if (this.infos.get(kind.name)?.delete(key)) this.upward.update(kind.infoType, key, undefined);
  }
}

function schemaOf(info: InstInfo): DescMessage {
  return info.$typeName === 'edgeproto.AppInstInfo'
    ? edgeproto.AppInstInfoSchema
    : edgeproto.ClusterInstInfoSchema;
}
