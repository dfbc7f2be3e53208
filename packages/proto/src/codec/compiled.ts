import { protoInt64, type DescMessage, type Message } from '@bufbuild/protobuf';
import { genDecoder, reflectiveDecoder } from './gen-decoder';
import { genEncoder, reflectiveEncoder } from './gen-encoder';
import { Reader } from './reader';
import type { DecodeFn, EncodeFn, TypeEntry } from './types';
import { Writer } from './writer';

/**
 * Compiled code per message type. Module-level like protobuf-es's own caches: descriptors are
 * immutable, and the WeakMap lets them (and their code) be collected.
 */
const entries = new WeakMap<DescMessage, TypeEntry>();

/** Scratch space of the encoders; encoding is synchronous, so one writer serves every call. */
const scratch = new Writer();

/** The entry of a message type; its functions compile on first use. */
export function entryOf(desc: DescMessage): TypeEntry {
  let entry = entries.get(desc);
  if (entry !== undefined) return entry;
  const e: TypeEntry = {
    desc,
    enc: (m, w) => {
      e.enc = compileEncoder(desc);
      e.enc(m, w);
    },
    dec: (r, end, depth, m, group) => {
      e.dec = compileDecoder(desc);
      return e.dec(r, end, depth, m, group);
    },
  };
  entry = e;
  // Registered before anything compiles, so recursive types link to this same entry.
  entries.set(desc, entry);
  return entry;
}

/**
 * The generated encoder, or protobuf-es's reflective one where generated code cannot be exact:
 * without bigint support (64-bit integers are strings then), or if generation fails.
 */
function compileEncoder(desc: DescMessage): EncodeFn {
  if (!protoInt64.supported) return reflectiveEncoder(desc);
  try {
    return genEncoder(desc, entryOf);
  } catch {
    return reflectiveEncoder(desc);
  }
}

function compileDecoder(desc: DescMessage): DecodeFn {
  if (!protoInt64.supported) return reflectiveDecoder(desc);
  try {
    return genDecoder(desc, entryOf);
  } catch {
    return reflectiveDecoder(desc);
  }
}

/**
 * Encodes with the compiled code only: throws (a `Bail` for values it leaves to protobuf-es)
 * instead of falling back. `binaryCodec` wraps this; tests use it to prove the fast path.
 */
export function encodeCompiled(entry: TypeEntry, message: unknown, asBuffer: boolean): Uint8Array {
  const w = scratch;
  w.reset();
  try {
    entry.enc(message, w);
  } catch (e) {
    w.reset();
    throw e;
  }
  return asBuffer ? w.finishBuffer() : w.finish();
}

/** Decodes with the compiled code only: throws on anything it does not handle exactly. */
export function decodeCompiled(entry: TypeEntry, bytes: Uint8Array): Message {
  const r = new Reader(bytes);
  return entry.dec(r, r.len, 1, undefined, 0);
}
