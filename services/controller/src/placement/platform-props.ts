import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { platformFeatures } from './features';

/** Descriptions of quota-able resources (the original's ResourceQuotaDesc). */
export const RESOURCE_QUOTA_DESC: Readonly<Record<string, string>> = {
  RAM: 'Limit on RAM available (MB)',
  vCPUs: 'Limit on vCPUs available',
  Disk: 'Limit on disk available (GB)',
  GPUs: 'Limit on GPUs available',
  'External IPs': 'Limit on external IPs available',
  Instances: 'Limit on number of instances that can be provisioned',
};

/** What the Controller asks of a platform implementation besides its features. */
export interface PlatformProps {
  /** Properties a cloudlet of this platform takes in `env_var` (GetCloudletProps). */
  readonly props: Readonly<Record<string, MessageInitShape<typeof edgeproto.PropertyInfoSchema>>>;
  /** Platform resources beyond the common ones: name → units. Counted one per VM. */
  readonly perVmResources: Readonly<Record<string, string>>;
}

const FAKE: PlatformProps = {
  props: {
    PROP_1: { name: 'Property 1', description: 'First Property', secret: true, mandatory: true },
    PROP_2: { name: 'Property 2', description: 'Second Property', mandatory: true },
  },
  perVmResources: { Instances: '' },
};
const XIND: PlatformProps = { props: {}, perVmResources: {} };

const P = edgeproto.PlatformType;
const XIND_TYPES = new Set([P.DIND, P.KIND, P.KINDINFRA]);

/**
 * The platform implementation of a type: the fake platforms (all share the fake
 * platform's properties and its `Instances` resource) and the local docker/kind ones.
 * Other types have no implementation here: `unknown platform PLATFORM_TYPE_OPENSTACK`
 * (INVALID_ARGUMENT), as the original's platform plugin says.
 */
export function platformProps(type: edgeproto.PlatformType): PlatformProps {
  if (platformFeatures(type).isFake) return FAKE;
  if (XIND_TYPES.has(type)) return XIND;
  const name = edgeproto.PlatformType[type] as string | undefined;
  throw invalidArgument(`unknown platform PLATFORM_TYPE_${name ?? String(type)}`);
}

/** The PropertyInfo messages of a platform's properties. */
export function propertyInfos(p: PlatformProps): Record<string, edgeproto.PropertyInfo> {
  return Object.fromEntries(
    Object.entries(p.props).map(([k, v]) => [k, create(edgeproto.PropertyInfoSchema, v)]),
  );
}
