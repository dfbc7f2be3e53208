import { createPrivateKey, sign } from 'node:crypto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type * as grpc from '@grpc/grpc-js';
import type { edgeproto } from '@edge/proto';
import { metadataInterceptor } from '@edge/rpc';
import { cloudletKeyJson } from './cloudlet-key-json';

/** Metadata carrying the signed data: the cloudlet key JSON. */
export const ACCESS_KEY_DATA = 'access-key-data';
/** Metadata carrying base64(ed25519 signature of `access-key-data`). */
export const ACCESS_KEY_SIG = 'access-key-sig';

/**
 * The metadata a cloudlet service sends on every call to the Controller's access API:
 * `access-key-data` = the cloudlet key JSON, `access-key-sig` = base64 of its ed25519
 * signature with the cloudlet's private access key.
 *
 * @example
 *   await client.getAccessData(req, { metadata: accessKeyMetadata(privatePem, { organization: 'op', name: 'c1' }) });
 */
export function accessKeyMetadata(
  privatePem: string,
  cloudletKey: MessageInitShape<typeof edgeproto.CloudletKeySchema>,
): Record<string, string> {
  const key = createPrivateKey(privatePem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`access key: want an ed25519 private key, got ${String(key.asymmetricKeyType)}`);
  }
  const data = cloudletKeyJson(cloudletKey);
  const sig = sign(null, Buffer.from(data, 'utf8'), key).toString('base64');
  return { [ACCESS_KEY_DATA]: data, [ACCESS_KEY_SIG]: sig };
}

/**
 * A grpc-js client interceptor that signs every call with the cloudlet's access key. The
 * signature (ed25519 is deterministic) is made once, here.
 *
 * @example
 *   const access = createClient(edgeproto.CloudletAccessApi, addr, {
 *     credentials: clientTls({ ca }),
 *     interceptors: [accessKeyInterceptor(privatePem, cloudletKey)],
 *   });
 */
export function accessKeyInterceptor(
  privatePem: string,
  cloudletKey: MessageInitShape<typeof edgeproto.CloudletKeySchema>,
): grpc.Interceptor {
  return metadataInterceptor(accessKeyMetadata(privatePem, cloudletKey));
}
