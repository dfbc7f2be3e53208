export { generateAccessKeyPair, type AccessKeyPair } from './access-key-pair';
export {
  backupKeyFile,
  readAccessKeyFile,
  upgradeAccessKeyFile,
  writeAccessKeyFile,
  type AccessKeyFileUpgradeOptions,
} from './access-key-file';
export { cloudletKeyJson, parseCloudletKeyJson } from './cloudlet-key-json';
export {
  exchangeAccessKey,
  type AccessKeyExchange,
  type AccessKeyExchangeOptions,
} from './exchange-access-key';
export { pushable, type Pushable } from './pushable';
export { ACCESS_KEY_DATA, ACCESS_KEY_SIG, accessKeyInterceptor, accessKeyMetadata } from './sign-access-key';
export { UPGRADE_ACCESS_KEY_METHOD, UPGRADE_MSG, UPGRADE_REQUIRED_MESSAGE } from './upgrade-protocol';
