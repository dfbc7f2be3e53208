import type { DescEnum, DescMessage, Message } from '@bufbuild/protobuf';

/** Names the original reserves (cloudcommon/names.go). */
export const DEFAULT_CLUST = 'defaultclust';
export const DEFAULT_MT_CLUST = 'defaultmtclust';
export const AUTO_CLUSTER_PREFIX = 'autocluster';
export const RESERVABLE_CLUSTER_PREFIX = 'reservable';
export const ORG_MOBILEDGEX = 'MobiledgeX';
export const MAX_CLUSTER_NAME_LENGTH = 40;
/** Hostname of the shared root LB within a cloudlet's domain. */
export const ROOT_LB_HOSTNAME = 'shared';
/** Value of ClusterInst.allocated_ip for a dynamically allocated IP. */
export const ALLOCATED_IP_DYNAMIC = 'dynamic';
/** Maximum reservable auto-clusters per cloudlet: ids 0..63 of a 64-bit mask. */
export const MAX_AUTO_CLUSTER_IDS = 64;

export const DEPLOYMENT_KUBERNETES = 'kubernetes';
export const DEPLOYMENT_VM = 'vm';
export const DEPLOYMENT_HELM = 'helm';
export const DEPLOYMENT_DOCKER = 'docker';
/** In the original's order, as `%v` prints them in errors. */
export const VALID_APP_DEPLOYMENTS = [
  DEPLOYMENT_KUBERNETES,
  DEPLOYMENT_VM,
  DEPLOYMENT_HELM,
  DEPLOYMENT_DOCKER,
];

/** The original's `util.DNSSanitize`: drops `_ &,.!` (`_` → `-`), lower case, no trailing `-`. */
export function dnsSanitize(name: string): string {
  const r = name
    .replace(/_/g, '-')
    .replace(/[ &,.!]/g, '')
    .toLowerCase();
  return r.replace(/-+$/, '');
}

/** `util.HostnameSanitize`: DNSSanitize limited to 63 characters. */
export function hostnameSanitize(name: string): string {
  return dnsSanitize(name).slice(0, 63).replace(/-+$/, '');
}

/** The proto name of an enum value, as Go's `String()` prints it (e.g. `CREATE_REQUESTED`). */
export function enumName(schema: DescEnum, value: number): string {
  return schema.values.find((v) => v.number === value)?.name ?? String(value);
}

function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === 0n || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/**
 * A message as Go's `%s`/`%v` prints a gogo proto key (`proto.CompactTextString`):
 * `organization:"o" name:"c" `, nested messages as `cloudlet_key:<… > `.
 */
export function goText(schema: DescMessage, msg: Message | undefined): string {
  if (!msg) return '';
  let out = '';
  const obj = msg as unknown as Record<string, unknown>;
  for (const f of schema.fields) {
    const v = obj[f.localName];
    if (isZero(v)) continue;
    if (f.fieldKind === 'message') out += `${f.name}:<${goText(f.message, v as Message)}> `;
    else if (f.fieldKind === 'scalar' && typeof v === 'string') out += `${f.name}:${JSON.stringify(v)} `;
    else if (f.fieldKind === 'scalar') out += `${f.name}:${String(v)} `;
  }
  return out;
}

/** Go's `%s` of a struct value without a String method: `{field1 field2 …}` (a CloudletKey as `{org name }`). */
export function goStruct(values: readonly unknown[]): string {
  return `{${values.map((v) => String(v ?? '')).join(' ')}}`;
}

/** `%s` of a CloudletKey value, as the original's "No resource information found for Cloudlet %s". */
export function goCloudletKey(
  k: { organization?: string; name?: string; federatedOrganization?: string } | undefined,
): string {
  return goStruct([k?.organization, k?.name, k?.federatedOrganization]);
}
