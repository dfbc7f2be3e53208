import { clone, create } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { generateAccessKeyPair } from '../access';
import { notFoundError } from '../crud/errors';
import type { RpcHandler } from '../grpc/services';
import type { StateDeps } from '../state/state-deps';
import { applyState } from '../state/state-txn';

/**
 * Checks and defaults of CreateCloudlet (cloudlet_api.go and Cloudlet.Validate): dynamic
 * IPs only, at least one, a location other than 0,0 within range.
 */
export function validateNewCloudlet(c: edgeproto.Cloudlet): void {
  if (c.ipSupport === edgeproto.IpSupport.UNKNOWN) c.ipSupport = edgeproto.IpSupport.DYNAMIC;
  if (c.ipSupport !== edgeproto.IpSupport.DYNAMIC)
    throw invalidArgument('Only dynamic IPs are supported currently');
  if (c.numDynamicIps < 1) throw invalidArgument('Must specify at least one dynamic public IP available');
  const lat = c.location?.latitude ?? 0;
  const long = c.location?.longitude ?? 0;
  if (lat === 0 && long === 0) throw invalidArgument('location is missing; 0,0 is not a valid location');
  validateCloudletLocation(c);
}

/** `Invalid latitude value` / `Invalid longitude value` (also on update). */
export function validateCloudletLocation(c: edgeproto.Cloudlet): void {
  const lat = c.location?.latitude ?? 0;
  const long = c.location?.longitude ?? 0;
  if (!(lat >= -90 && lat <= 90)) throw invalidArgument('Invalid latitude value');
  if (!(long >= -180 && long <= 180)) throw invalidArgument('Invalid longitude value');
}

/** Sets or clears the CRM access public key of a cloudlet, in one transaction. */
async function setAccessKey(deps: StateDeps, key: edgeproto.CloudletKey, publicPem: string): Promise<void> {
  const type = deps.reg.get('Cloudlet');
  const holder = create(edgeproto.CloudletSchema, { key });
  await applyState(deps, async (tx) => {
    const cur = await tx.get<edgeproto.Cloudlet>(type, holder);
    if (!cur) throw notFoundError(type, holder);
    const next = clone(edgeproto.CloudletSchema, cur);
    next.crmAccessPublicKey = publicPem;
    tx.put(type, next);
  });
}

/** A start command for the cloudlet's CRM, naming its key and access key (our GetCloudletManifest). */
function manifestText(c: edgeproto.Cloudlet, region: string, privatePem: string): string {
  const key = JSON.stringify({ organization: c.key?.organization ?? '', name: c.key?.name ?? '' });
  return [
    `# CRM for cloudlet ${key} in region ${region}`,
    `cat > crm-access-key.pem <<'PEM'`,
    privatePem.trimEnd(),
    'PEM',
    `crm --region ${region} --cloudletKey '${key}' --accessKeyFile crm-access-key.pem --notifyAddrs ${c.notifySrvAddr || '127.0.0.1:50001'}`,
    '',
  ].join('\n');
}

/**
 * Access-key RPCs of CloudletApi: GenerateAccessKey (new pair; the reply's message is the
 * private key PEM, as the original), RevokeAccessKey (clears the public key) and
 * GetCloudletManifest (new pair, refused while a key is registered with the original's
 * `Cloudlet has access key registered, please revoke the current access key first so a
 * new one can be generated for the manifest`).
 */
export function cloudletAccessHandlers(deps: StateDeps): Record<string, RpcHandler> {
  const type = deps.reg.get('Cloudlet');
  return {
    GenerateAccessKey: async (req: edgeproto.CloudletKey) => {
      const pair = generateAccessKeyPair();
      await setAccessKey(deps, req, pair.publicPem);
      return create(edgeproto.ResultSchema, { message: pair.privatePem });
    },
    RevokeAccessKey: async (req: edgeproto.CloudletKey) => {
      await setAccessKey(deps, req, '');
      return create(edgeproto.ResultSchema, {});
    },
    GetCloudletManifest: async (req: edgeproto.CloudletKey) => {
      const holder = create(edgeproto.CloudletSchema, { key: req });
      const pair = generateAccessKeyPair();
      const cloudlet = await applyState(deps, async (tx) => {
        const cur = await tx.get<edgeproto.Cloudlet>(type, holder);
        if (!cur) throw notFoundError(type, holder);
        if (cur.crmAccessPublicKey !== '' || cur.secondaryCrmAccessPublicKey !== '')
          throw invalidArgument(
            'Cloudlet has access key registered, please revoke the current access key first so a new one can be generated for the manifest',
          );
        const next = clone(edgeproto.CloudletSchema, cur);
        next.crmAccessPublicKey = pair.publicPem;
        next.crmAccessKeyUpgradeRequired = true;
        tx.put(type, next);
        return next;
      });
      return create(edgeproto.CloudletManifestSchema, {
        manifest: manifestText(cloudlet, deps.region, pair.privatePem),
      });
    },
  };
}
