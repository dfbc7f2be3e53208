export type { SecretData, SecretStore } from './secret-store';
export { FileSecretStore, type FileSecretStoreOptions } from './file-secret-store';
export { MemorySecretStore } from './memory-secret-store';
export { MASTER_KEY_BYTES, parseMasterKey } from './master-key';
export { checkSecretPath, checkSecretPrefix } from './secret-path';
