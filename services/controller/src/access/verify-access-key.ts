import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { permissionDenied, unauthenticated } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import {
  ACCESS_KEY_DATA,
  ACCESS_KEY_SIG,
  UPGRADE_ACCESS_KEY_METHOD,
  cloudletKeyJson,
  parseCloudletKeyJson,
} from '@edge/accesskey';

export { UPGRADE_ACCESS_KEY_METHOD };
/** Full gRPC path of GetAccessData (refused to EDGEBOX cloudlets). */
export const GET_ACCESS_DATA_METHOD = '/edgeproto.CloudletAccessApi/GetAccessData';

/**
 * Finds a cloudlet by the canonical JSON of its key (`cloudletKeyJson`), e.g. from the
 * Controller's cache. Undefined when there is no such cloudlet.
 */
export type LookupCloudlet = (keyJson: string) => Promise<edgeproto.Cloudlet | undefined>;

/** Who a verified call comes from. */
export interface AccessKeyVerified {
  /** The cloudlet whose key signed the call. */
  readonly key: edgeproto.CloudletKey;
  /** `cloudletKeyJson(key)`. */
  readonly keyJson: string;
  /**
   * The cloudlet as `lookupCloudlet` returned it when the call was verified. Its `config`
   * may hold private keys: never log it whole.
   */
  readonly cloudlet: edgeproto.Cloudlet;
  /** The key that matched must be replaced; only UpgradeAccessKey gets this far. */
  readonly upgradeRequired: boolean;
}

/**
 * Verifies the cloudlet access key signature in a call's metadata, as the original's
 * `VerifyAccessKeySig`: reads the cloudlet key from `access-key-data`, finds the cloudlet,
 * and checks `access-key-sig` against its primary, then its secondary public key.
 * `method` is the full gRPC path (`/edgeproto.CloudletAccessApi/IssueCert`): a key that
 * needs an upgrade may only call UpgradeAccessKey.
 *
 * Throws UNAUTHENTICATED when the caller cannot be identified and PERMISSION_DENIED when
 * it is identified but may not make this call; the messages are the original's.
 * (Vault AppRole auth, `vault-key-sig`, is not supported.)
 */
export async function verifyAccessKey(
  metadata: Headers,
  lookupCloudlet: LookupCloudlet,
  method: string,
): Promise<AccessKeyVerified> {
  const data = metadata.get(ACCESS_KEY_DATA);
  if (data === null) throw unauthenticated(`error, ${ACCESS_KEY_DATA} not found in metadata`);
  // The original formats the metadata value list with %s, which prints `[value]`.
  const shown = `[${data}]`;
  let key: edgeproto.CloudletKey;
  try {
    key = parseCloudletKeyJson(data);
  } catch (err) {
    throw unauthenticated(
      `failed to unmarshal cloudlet key from metadata, ${shown}, ${(err as Error).message}`,
    );
  }
  const keyJson = cloudletKeyJson(key);
  const cloudlet = await lookupCloudlet(keyJson);
  if (cloudlet === undefined) throw unauthenticated(`failed to find cloudlet ${shown} to verify access key`);
  if (cloudlet.platformType === edgeproto.PlatformType.EDGEBOX && method === GET_ACCESS_DATA_METHOD) {
    throw permissionDenied('Not allowed to get access data for EDGEBOX platform');
  }

  const sigb64 = metadata.get(ACCESS_KEY_SIG);
  if (sigb64 === null) throw unauthenticated('no valid auth found');
  const sig = decodeBase64(sigb64);
  if (cloudlet.crmAccessPublicKey === '' && cloudlet.secondaryCrmAccessPublicKey === '') {
    throw unauthenticated(`No crm access public key registered for cloudlet ${shown}`);
  }
  const message = Buffer.from(data, 'utf8');
  let failure = checkSignature(cloudlet.crmAccessPublicKey, message, sig);
  let upgradeRequired = cloudlet.crmAccessKeyUpgradeRequired;
  if (failure !== undefined && cloudlet.secondaryCrmAccessPublicKey !== '') {
    failure = checkSignature(cloudlet.secondaryCrmAccessPublicKey, message, sig);
    upgradeRequired = cloudlet.secondaryCrmAccessKeyUpgradeRequired;
  }
  if (failure !== undefined) throw unauthenticated(failure);
  if (upgradeRequired && method !== UPGRADE_ACCESS_KEY_METHOD) {
    throw permissionDenied(`access key requires upgrade, does not allow api call ${method}`);
  }
  return { key, keyJson, cloudlet, upgradeRequired };
}

/** Undefined when `sig` is `pubPem`'s signature of `message`, else the reason it is not. */
function checkSignature(pubPem: string, message: Buffer, sig: Buffer): string | undefined {
  const pub = loadPublicKey(pubPem);
  // The original prints the (nil) key it failed to load, hence the empty field.
  if (typeof pub === 'string') return `Failed to decode crm public access key, , ${pub}`;
  return verify(null, message, pub, sig) ? undefined : 'Failed to verify cloudlet access key signature';
}

function loadPublicKey(pem: string): KeyObject | string {
  if (!pem.includes('-----BEGIN')) return 'No key found in pem string';
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    return (err as Error).message;
  }
  return key.asymmetricKeyType === 'ed25519' ? key : 'Key not ed25519 format';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict standard base64 with padding, like Go's `base64.StdEncoding`. */
function decodeBase64(text: string): Buffer {
  if (!BASE64.test(text) || text.length % 4 !== 0) {
    const bad = text.search(/[^A-Za-z0-9+/=]/);
    throw unauthenticated(
      `failed to base64 decode access key signature, illegal base64 data at input byte ${bad < 0 ? text.length : bad}`,
    );
  }
  return Buffer.from(text, 'base64');
}
