export { ObjectRegistry } from './object-registry';
export { objectTypeOf, type ObjectType } from './object-type';
export { findReferences, referenceValues, type Reference, type ReferenceValue } from './references';
export { rpcInfoOf, type RpcInfo } from './rpc-info';
