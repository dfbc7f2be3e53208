export * from './gen';
export * from './registry';
export { binaryCodec, decodeWith, encodeWith, type BinaryCodec } from './codec';
