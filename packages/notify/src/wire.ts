import { create, toBinary, type DescMessage, type Message, type Registry } from '@bufbuild/protobuf';
import { anyPack, anyUnpack, type Any } from '@bufbuild/protobuf/wkt';
import { notify } from '@edge/proto';

/** A notice on the stream, either way. */
export type Notice = notify.Notice;

/** Shorthand for the notice actions. */
export const Action = notify.NoticeAction;

/**
 * Protocol version of this engine. 1 is the original (full resend on every connect);
 * 2 adds resume (`resume_rev` / `resumed`), ACK and PROGRESS; 3 adds batches (`batch`).
 * Both sides use the lowest.
 */
export const NOTIFY_VERSION = 3;

/** Most notices in one batch, and the encoded size after which a batch is closed. */
const BATCH_NOTICES = 512;
const BATCH_BYTES = 256 * 1024;

/** The full type name an `Any` holds (`edgeproto.AppInst`). */
export function anyTypeName(any: Any): string {
  const i = any.typeUrl.lastIndexOf('/');
  return i < 0 ? any.typeUrl : any.typeUrl.slice(i + 1);
}

/** Unpacks the object of a notice, or undefined when its type is unknown to `registry`. */
export function unpackNotice(n: Notice, registry: Registry): { type: string; obj: Message } | undefined {
  if (!n.any) return undefined;
  const obj = anyUnpack(n.any, registry);
  return obj ? { type: anyTypeName(n.any), obj } : undefined;
}

/**
 * Packs objects into `Any`, each object once: the same change sent to a thousand children
 * is serialised one time (objects are immutable once published).
 */
export class Packer {
  private readonly packed = new WeakMap<Message, Any>();
  private readonly schemas = new Map<string, DescMessage>();

  constructor(private readonly registry: Registry) {}

  /** `obj` as an Any. */
  pack(obj: Message): Any {
    let any = this.packed.get(obj);
    if (!any) {
      any = anyPack(this.schema(obj.$typeName), obj);
      this.packed.set(obj, any);
    }
    return any;
  }

  private schema(typeName: string): DescMessage {
    let s = this.schemas.get(typeName);
    if (!s) {
      s = this.registry.getMessage(typeName);
      if (!s) throw new Error(`notify: ${typeName} is not in the registry`);
      this.schemas.set(typeName, s);
    }
    return s;
  }
}

/** A notice with only `action` and, when given, `mod_rev`. */
export function marker(action: notify.NoticeAction, rev?: number): Notice {
  return create(notify.NoticeSchema, { action, modRev: BigInt(rev ?? 0) });
}

/** An UPDATE or DELETE notice. */
export function objectNotice(action: notify.NoticeAction, any: Any, rev: number): Notice {
  return create(notify.NoticeSchema, { action, any, modRev: BigInt(rev) });
}

/**
 * `notices` as they go on a stream of protocol `version`: one message each before 3,
 * else batches of up to 512 notices or 256 KB. `sizes[i]` is `noticeSize(notices[i])`.
 */
export function* framed(
  notices: readonly Notice[],
  sizes: readonly number[],
  version: number,
): Generator<{ notice: Notice; count: number; bytes: number }> {
  if (version < 3 || notices.length === 1) {
    for (let i = 0; i < notices.length; i++) {
      yield { notice: notices[i] as Notice, count: 1, bytes: sizes[i] as number };
    }
    return;
  }
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < notices.length; i++) {
    bytes += fieldSize(sizes[i] as number) + 1;
    const last = i === notices.length - 1;
    if (last || i + 1 - start >= BATCH_NOTICES || bytes >= BATCH_BYTES) {
      const batch = notices.slice(start, i + 1);
      yield { notice: create(notify.NoticeSchema, { batch }), count: batch.length, bytes };
      start = i + 1;
      bytes = 0;
    }
  }
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function fieldSize(len: number): number {
  return 1 + varintSize(len) + len;
}

/**
 * The encoded size of a notice (exact for the fields the engine sets on object and marker
 * notices; VERSION notices are encoded to measure them). Counting this way avoids encoding
 * every notice twice.
 */
export function noticeSize(n: Notice): number {
  if (n.action === Action.VERSION) return toBinary(notify.NoticeSchema, n).length;
  if (n.batch.length > 0)
    return n.batch.reduce((sum, b) => sum + 2 + varintSize(noticeSize(b)) + noticeSize(b), 0);
  let size = n.action === Action.NONE ? 0 : 2;
  if (n.modRev !== 0n) size += 1 + varintSize(Number(n.modRev));
  if (n.ackRev !== 0n) size += 2 + varintSize(Number(n.ackRev));
  if (n.any) {
    const url = Buffer.byteLength(n.any.typeUrl);
    const anyLen = (url ? fieldSize(url) : 0) + (n.any.value.length ? fieldSize(n.any.value.length) : 0);
    size += fieldSize(anyLen);
  }
  return size;
}
