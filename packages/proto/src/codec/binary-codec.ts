import { fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { decodeCompiled, encodeCompiled, entryOf } from './compiled';

/**
 * Binary (de)serialization of one message type, equivalent to protobuf-es's `toBinary` /
 * `fromBinary` but several times faster: the code is generated per message type from its
 * descriptor on first use.
 *
 * - `encode` output is byte-identical to `toBinary(desc, message)`.
 * - `decode` output equals `fromBinary(desc, bytes)`, except that unknown fields (including
 *   extensions and unknown values of closed enums) are dropped instead of kept in `$unknown`.
 *
 * Input the compiled code does not handle exactly (values of unexpected types, malformed
 * bytes) goes to protobuf-es instead, so results and errors are protobuf-es's own.
 */
export interface BinaryCodec<Desc extends DescMessage = DescMessage> {
  /** `toBinary(desc, message)`: a Uint8Array of its own, fit to keep. */
  encode(message: MessageShape<Desc>): Uint8Array;
  /**
   * The same bytes as a Buffer from the codec's pool (no copy): like `Buffer.allocUnsafe()`
   * results it keeps a shared 16 KiB slab alive, so use it for bytes written out at once (it is
   * what the grpc-js definitions use) and `encode` for bytes kept around.
   */
  encodeBuffer(message: MessageShape<Desc>): Buffer;
  /** `fromBinary(desc, bytes)` without `$unknown`; bytes fields are views of `bytes`, as there. */
  decode(bytes: Uint8Array): MessageShape<Desc>;
}

const codecs = new WeakMap<DescMessage, BinaryCodec>();

/** The codec of a message type (cached per descriptor; compiled lazily). */
export function binaryCodec<Desc extends DescMessage>(desc: Desc): BinaryCodec<Desc> {
  let codec = codecs.get(desc);
  if (codec === undefined) {
    codec = makeCodec(desc);
    codecs.set(desc, codec);
  }
  return codec as BinaryCodec<Desc>;
}

const readOptions = { readUnknownFields: false };

function makeCodec(desc: DescMessage): BinaryCodec {
  const entry = entryOf(desc);
  return {
    encode(message) {
      try {
        return encodeCompiled(entry, message, false);
      } catch {
        return toBinary(desc, message);
      }
    },
    encodeBuffer(message) {
      try {
        return encodeCompiled(entry, message, true) as Buffer;
      } catch {
        const bytes = toBinary(desc, message);
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
    },
    decode(bytes) {
      try {
        return decodeCompiled(entry, bytes);
      } catch {
        return fromBinary(desc, bytes, readOptions);
      }
    },
  };
}

/** `binaryCodec(desc).encode(message)`. */
export function encodeWith<Desc extends DescMessage>(desc: Desc, message: MessageShape<Desc>): Uint8Array {
  return binaryCodec(desc).encode(message);
}

/** `binaryCodec(desc).decode(bytes)`. */
export function decodeWith<Desc extends DescMessage>(desc: Desc, bytes: Uint8Array): MessageShape<Desc> {
  return binaryCodec(desc).decode(bytes);
}
