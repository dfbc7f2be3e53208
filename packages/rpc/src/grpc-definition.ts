import { create, isMessage, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { binaryCodec } from '@edge/proto';

/** gRPC path of a method: `/<package>.<Service>/<Method>`. */
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/**
 * Marks `bytes` as the encoding of a message of type `T`: serializers send them as they are
 * (e.g. one notice encoded once and written to many streams).
 */
export function preEncoded<T>(bytes: Uint8Array): T {
  return bytes as unknown as T;
}

/**
 * Binary serialization with the compiled codec; init shapes are made into messages first,
 * `preEncoded` bytes pass through.
 */
function serializer(desc: DescMessage): (m: unknown) => Buffer {
  const codec = binaryCodec(desc);
  return (m) => {
    if (m instanceof Uint8Array)
      return Buffer.isBuffer(m) ? m : Buffer.from(m.buffer, m.byteOffset, m.byteLength);
    return codec.encodeBuffer(isMessage(m, desc) ? m : create(desc, m as never));
  };
}

function deserializer(desc: DescMessage): (b: Buffer) => unknown {
  const codec = binaryCodec(desc);
  return (b) => codec.decode(b);
}

/**
 * grpc-js definition of one method: path, streaming flags from `methodKind`, binary
 * (de)serialization with the compiled codec of @edge/proto (protobuf-es's bytes and messages,
 * faster; unknown fields are dropped). Serializing accepts init shapes as well as messages.
 */
export function grpcMethodDefinition(method: DescMethod): MethodDefinition<unknown, unknown> {
  const kind = method.methodKind;
  return {
    path: methodPath(method),
    requestStream: kind === 'client_streaming' || kind === 'bidi_streaming',
    responseStream: kind === 'server_streaming' || kind === 'bidi_streaming',
    requestSerialize: serializer(method.input),
    requestDeserialize: deserializer(method.input),
    responseSerialize: serializer(method.output),
    responseDeserialize: deserializer(method.output),
    originalName: method.localName,
  };
}

/** grpc-js service definition of a protobuf-es service, keyed by method `localName`. */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const def: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const m of service.methods) def[m.localName] = grpcMethodDefinition(m);
  return def;
}
