import { Code, EdgeError, invalidArgument, notFound, permissionDenied } from '@edge/errors';
import type { SecretStore } from '@edge/secrets';
import { cloudletKeyJson, parseCloudletKeyJson } from '@edge/accesskey';
import { cloudletAccessVarsPath } from './secret-paths';
import type { AccessKeyVerified } from './verify-access-key';

/** GetAccessData type: the cloudlet's infra credentials, as a JSON object of strings. */
export const GET_CLOUDLET_ACCESS_VARS = 'get-cloudlet-access-vars';
/** GetAccessData type: have the SSH CA sign the CRM's public key (not supported yet). */
export const SIGN_SSH_KEY = 'sign-ssh-key';

/** Types the original serves that this Controller does not serve yet. */
const NOT_YET: ReadonlyMap<string, string> = new Map([
  [SIGN_SSH_KEY, 'the Controller holds no SSH CA yet'],
  ['get-registry-auth', 'registry credentials are not kept yet'],
  ['get-ssh-public-key', 'the Controller holds no SSH CA yet'],
  ['get-old-ssh-key', 'there are no legacy SSH keys'],
  ['get-chef-auth-key', 'Chef is not used'],
  ['create-or-update-dns-record', 'no DNS provider is configured'],
  ['get-dns-records', 'no DNS provider is configured'],
  ['delete-dns-record', 'no DNS provider is configured'],
  ['get-session-tokens', 'session tokens are not supported yet'],
  ['get-public-cert', 'public certificates are not supported yet'],
  ['get-kafka-creds', 'Kafka credentials are not kept yet'],
  ['get-gcs-creds', 'GCS credentials are not kept yet'],
  ['get-federation-apikey', 'federation is not supported yet'],
]);

/**
 * Serves one GetAccessData request for the verified cloudlet. Everything is looked up
 * from `verified` — never from the request — so a cloudlet only ever gets its own data.
 */
export async function getAccessData(
  secrets: SecretStore,
  verified: AccessKeyVerified,
  type: string,
  data: Uint8Array,
): Promise<Uint8Array> {
  if (type === GET_CLOUDLET_ACCESS_VARS) return accessVars(secrets, verified, data);
  const why = NOT_YET.get(type);
  if (why !== undefined)
    throw new EdgeError(Code.UNIMPLEMENTED, `access data type ${type} is not supported: ${why}`);
  throw invalidArgument(`Unexpected request data type ${type}`);
}

async function accessVars(
  secrets: SecretStore,
  verified: AccessKeyVerified,
  data: Uint8Array,
): Promise<Uint8Array> {
  checkSameCloudlet(verified, data);
  const vars = await secrets.get(cloudletAccessVarsPath(verified.key));
  if (vars === undefined) throw notFound(`No access vars stored for cloudlet ${verified.keyJson}`);
  // Sorted keys, as Go's json.Marshal of a map writes them.
  const sorted = Object.fromEntries(Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}

/**
 * The original sends no argument with get-cloudlet-access-vars. A caller that does name a
 * cloudlet (its key JSON) must name its own.
 */
function checkSameCloudlet(verified: AccessKeyVerified, data: Uint8Array): void {
  if (data.length === 0) return;
  let asked: string;
  try {
    asked = cloudletKeyJson(parseCloudletKeyJson(Buffer.from(data).toString('utf8')));
  } catch {
    throw invalidArgument(`${GET_CLOUDLET_ACCESS_VARS}: data must be empty or a cloudlet key JSON`);
  }
  if (asked !== verified.keyJson) {
    throw permissionDenied(
      `access key of cloudlet ${verified.keyJson} does not allow access to cloudlet ${asked}`,
    );
  }
}
