import { create, fromBinary, toBinary, type DescMethod, type DescService } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

/** gRPC path of a method: `/<package>.<Service>/<Method>`. */
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/**
 * grpc-js definition of one method: path, streaming flags from `methodKind`, binary
 * (de)serialization with protobuf-es. Serializing accepts init shapes as well as messages.
 */
export function grpcMethodDefinition(method: DescMethod): MethodDefinition<unknown, unknown> {
  const kind = method.methodKind;
  return {
    path: methodPath(method),
    requestStream: kind === 'client_streaming' || kind === 'bidi_streaming',
    responseStream: kind === 'server_streaming' || kind === 'bidi_streaming',
    requestSerialize: (m) => Buffer.from(toBinary(method.input, create(method.input, m as never))),
    requestDeserialize: (b: Buffer) => fromBinary(method.input, b),
    responseSerialize: (m) => Buffer.from(toBinary(method.output, create(method.output, m as never))),
    responseDeserialize: (b: Buffer) => fromBinary(method.output, b),
    originalName: method.localName,
  };
}

/** grpc-js service definition of a protobuf-es service, keyed by method `localName`. */
export function grpcServiceDefinition(service: DescService): ServiceDefinition {
  const def: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const m of service.methods) def[m.localName] = grpcMethodDefinition(m);
  return def;
}
