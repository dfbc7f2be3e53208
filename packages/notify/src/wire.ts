import { create, type DescMessage, type Message, type Registry } from '@bufbuild/protobuf';
import { AnySchema, type Any } from '@bufbuild/protobuf/wkt';
import { binaryCodec, notify } from '@edge/proto';

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
  const type = anyTypeName(n.any);
  const desc = registry.getMessage(type);
  return desc ? { type, obj: binaryCodec(desc).decode(n.any.value) } : undefined;
}

/** A notice as it goes on the stream: its encoded bytes (passed through by the rpc layer). */
export type WireNotice = Uint8Array;

const noticeCodec = binaryCodec(notify.NoticeSchema);

/** Encodes a notice for the stream. */
export function encodeNotice(n: Notice): WireNotice {
  return noticeCodec.encode(n);
}

/**
 * Encodes objects and the notices carrying them, each once: the same change sent to a
 * thousand children is serialised one time (objects and published changes are immutable).
 */
export class Packer {
  private readonly packed = new WeakMap<Message, Any>();
  private readonly notices = new WeakMap<object, WireNotice>();
  private readonly schemas = new Map<string, DescMessage>();
  private readonly urls = new Map<string, Buffer>();

  constructor(private readonly registry: Registry) {}

  /** `obj` as an Any. */
  pack(obj: Message): Any {
    let any = this.packed.get(obj);
    if (!any) {
      const schema = this.schema(obj.$typeName);
      any = create(AnySchema, {
        typeUrl: `type.googleapis.com/${schema.typeName}`,
        value: binaryCodec(schema).encode(obj),
      });
      this.packed.set(obj, any);
    }
    return any;
  }

  /**
   * The encoded UPDATE (or, without `obj`, DELETE) notice of a change, cached per `change`
   * object; `keyOnly` makes the key-only message a DELETE carries.
   */
  notice(change: { readonly obj?: Message; readonly rev: number }, keyOnly: () => Message): WireNotice {
    let bytes = this.notices.get(change);
    if (!bytes) {
      const obj = change.obj ?? keyOnly();
      const schema = this.schema(obj.$typeName);
      bytes = objectNoticeBytes(
        change.obj ? Action.UPDATE : Action.DELETE,
        this.typeUrl(schema),
        binaryCodec(schema).encodeBuffer(obj),
        change.rev,
      );
      this.notices.set(change, bytes);
    }
    return bytes;
  }

  /** UTF-8 of `type.googleapis.com/<type>`, per type. */
  private typeUrl(schema: DescMessage): Buffer {
    let url = this.urls.get(schema.typeName);
    if (!url) {
      url = Buffer.from(`type.googleapis.com/${schema.typeName}`);
      this.urls.set(schema.typeName, url);
    }
    return url;
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

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function putVarint(buf: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[at++] = n;
  return at;
}

/**
 * The bytes of `objectNotice(action, Any{typeUrl, value}, rev)` written directly, in one
 * allocation (what the codec would write: fields 1, 3 {1, 2}, 7 in number order).
 */
function objectNoticeBytes(action: number, typeUrl: Uint8Array, value: Uint8Array, rev: number): WireNotice {
  const anyLen =
    1 +
    varintSize(typeUrl.length) +
    typeUrl.length +
    (value.length ? 1 + varintSize(value.length) + value.length : 0);
  const size = 2 + 1 + varintSize(anyLen) + anyLen + (rev ? 1 + varintSize(rev) : 0);
  const buf = Buffer.allocUnsafe(size);
  buf[0] = 0x08;
  buf[1] = action;
  buf[2] = 0x1a;
  let at = putVarint(buf, 3, anyLen);
  buf[at++] = 0x0a;
  at = putVarint(buf, at, typeUrl.length);
  buf.set(typeUrl, at);
  at += typeUrl.length;
  if (value.length) {
    buf[at++] = 0x12;
    at = putVarint(buf, at, value.length);
    buf.set(value, at);
    at += value.length;
  }
  if (rev) {
    buf[at++] = 0x38;
    putVarint(buf, at, rev);
  }
  return buf;
}

/** The encoded Notice whose `batch` (field 23, length-delimited) holds `parts`, in order. */
function batchOf(parts: readonly WireNotice[]): WireNotice {
  let size = 0;
  for (const p of parts) size += 2 + varintSize(p.length) + p.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of parts) {
    out[at++] = 0xba;
    out[at++] = 0x01;
    at = putVarint(out, at, p.length);
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * `notices` as they go on a stream of protocol `version`: one message each before 3, else
 * batches of up to 512 notices or 256 KB; `count` notices in a message of `bytes.length`.
 */
export function* framed(
  notices: readonly WireNotice[],
  version: number,
): Generator<{ bytes: WireNotice; count: number }> {
  if (version < 3 || notices.length === 1) {
    for (const n of notices) yield { bytes: n, count: 1 };
    return;
  }
  let start = 0;
  let size = 0;
  for (let i = 0; i < notices.length; i++) {
    size += (notices[i] as WireNotice).length;
    if (i === notices.length - 1 || i + 1 - start >= BATCH_NOTICES || size >= BATCH_BYTES) {
      yield { bytes: batchOf(notices.slice(start, i + 1)), count: i + 1 - start };
      start = i + 1;
      size = 0;
    }
  }
}
