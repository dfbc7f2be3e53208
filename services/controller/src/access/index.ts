export {
  ACCESS_KEY_DATA,
  ACCESS_KEY_SIG,
  accessKeyInterceptor,
  accessKeyMetadata,
  cloudletKeyJson,
  generateAccessKeyPair,
  parseCloudletKeyJson,
  type AccessKeyPair,
} from '@edge/accesskey';
export { createAccessApi, type AccessApi, type AccessApiOptions } from './access-api';
export { GET_CLOUDLET_ACCESS_VARS, SIGN_SSH_KEY, getAccessData } from './access-data';
export { createAccessKeyAuth, type AccessKeyAuth, type AccessKeyAuthOptions } from './access-key-auth';
export { deleteCloudletAccessVars, putCloudletAccessVars } from './cloudlet-access-vars';
export { secretCa, type SecretCa } from './secret-ca';
export { REGIONAL_CLOUDLET_ISSUER, caSecretPath, cloudletAccessVarsPath } from './secret-paths';
export {
  GET_ACCESS_DATA_METHOD,
  UPGRADE_ACCESS_KEY_METHOD,
  verifyAccessKey,
  type AccessKeyVerified,
  type LookupCloudlet,
} from './verify-access-key';
export { HA_ROLE_SECONDARY, upgradeAccessKeyHandler, type CommitAccessKey } from './upgrade-access-key';
