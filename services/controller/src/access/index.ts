export { createAccessApi, type AccessApi, type AccessApiOptions } from './access-api';
export { GET_CLOUDLET_ACCESS_VARS, SIGN_SSH_KEY, getAccessData } from './access-data';
export { createAccessKeyAuth, type AccessKeyAuth, type AccessKeyAuthOptions } from './access-key-auth';
export { generateAccessKeyPair, type AccessKeyPair } from './access-key-pair';
export { deleteCloudletAccessVars, putCloudletAccessVars } from './cloudlet-access-vars';
export { cloudletKeyJson, parseCloudletKeyJson } from './cloudlet-key-json';
export { secretCa, type SecretCa } from './secret-ca';
export { REGIONAL_CLOUDLET_ISSUER, caSecretPath, cloudletAccessVarsPath } from './secret-paths';
export { ACCESS_KEY_DATA, ACCESS_KEY_SIG, accessKeyInterceptor, accessKeyMetadata } from './sign-access-key';
export {
  GET_ACCESS_DATA_METHOD,
  UPGRADE_ACCESS_KEY_METHOD,
  verifyAccessKey,
  type AccessKeyVerified,
  type LookupCloudlet,
} from './verify-access-key';
