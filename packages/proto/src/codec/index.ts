// A binary codec generating specialised JavaScript per message type from protobuf-es
// descriptors: protobuf-es's bytes and messages, several times faster.
export { binaryCodec, decodeWith, encodeWith, type BinaryCodec } from './binary-codec';
