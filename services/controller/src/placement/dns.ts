import { invalidArgument } from '@edge/errors';
import type { edgeproto } from '@edge/proto';
import { dnsSanitize, hostnameSanitize, ROOT_LB_HOSTNAME } from './names';

const CLOUDLET_LABEL_MAX = 50;
const OBJECT_LABEL_MAX = 63;

const trunc = (name: string, max: number): string => dnsSanitize(name).slice(0, max);

/** The original's genNextDnsLabel: the base, truncated so that a counter suffix fits. */
function nextLabel(base: string, max: number, counter: number): string {
  const suffix = counter > 0 ? String(counter) : '';
  const cut = base.length + suffix.length - max;
  return (cut > 0 ? base.slice(0, base.length - cut) : base) + suffix;
}

/** A label unique among `taken` (and not `shared`), from at most ten tries, as the original. */
function uniqueLabel(base: string, max: number, taken: ReadonlySet<string>): string {
  for (let i = 0; i < 10; i++) {
    const label = nextLabel(base, max, i);
    if (label !== ROOT_LB_HOSTNAME && !taken.has(label)) return label;
  }
  throw invalidArgument(
    `Unable to compute unique DNS label from base label of ${JSON.stringify(base)}, please change key values`,
  );
}

/** A cloudlet's DNS label: `<name40>-<operator20>`, as its API sets it (used when the Cloudlet has none yet). */
export function cloudletDnsLabel(cloudlet: edgeproto.Cloudlet): string {
  if (cloudlet.dnsLabel) return cloudlet.dnsLabel;
  const base = `${trunc(cloudlet.key?.name ?? '', 40)}-${trunc(cloudlet.key?.organization ?? '', 20)}`;
  return nextLabel(base, CLOUDLET_LABEL_MAX, 0);
}

/** A ClusterInst's DNS label, unique among the cloudlet's objects: `<cluster40>-<org20>`. */
export function clusterDnsLabel(
  key: edgeproto.ClusterInstKey | undefined,
  taken: ReadonlySet<string>,
): string {
  const base = `${trunc(key?.clusterKey?.name ?? '', 40)}-${trunc(key?.organization ?? '', 20)}`;
  return uniqueLabel(base, OBJECT_LABEL_MAX, taken);
}

/** An AppInst's DNS label, unique among the cloudlet's objects: `<app><version>-<org>`. */
export function appInstDnsLabel(key: edgeproto.AppInstKey | undefined, taken: ReadonlySet<string>): string {
  let app = trunc(key?.appKey?.name ?? '', 60);
  let ver = trunc(key?.appKey?.version ?? '', 60);
  const org = trunc(key?.appKey?.organization ?? '', 60);
  let base = `${app}${ver}-${org}`;
  if (base.length > OBJECT_LABEL_MAX) {
    app = app.slice(0, 40);
    ver = ver.slice(0, 10);
    base = `${app}${ver}-${org}`;
  }
  return uniqueLabel(base, OBJECT_LABEL_MAX, taken);
}

/** `<objectLabel>.<cloudletLabel>.<region>.<appDnsRoot>`: FQDN of a ClusterInst or AppInst. */
export function objectFqdn(
  label: string,
  cloudlet: edgeproto.Cloudlet,
  region: string,
  root: string,
): string {
  return `${label}.${cloudletDnsLabel(cloudlet)}.${hostnameSanitize(region)}.${root}`;
}

/** The shared root LB's FQDN: the Cloudlet's, else `shared.<cloudletLabel>.<region>.<appDnsRoot>`. */
export function rootLbFqdn(cloudlet: edgeproto.Cloudlet, region: string, root: string): string {
  return cloudlet.rootLbFqdn || objectFqdn(ROOT_LB_HOSTNAME, cloudlet, region, root);
}

/** DNS names have labels of at most 63 characters and at most 253 in all. */
export function checkFqdnLengths(prefix: string, uri: string): void {
  const fqdn = prefix + uri;
  if (fqdn.length > 253)
    throw invalidArgument(`DNS name ${JSON.stringify(fqdn)} exceeds 253 chars, please shorten some names`);
  for (const label of fqdn.split('.')) {
    if (label.length > 63)
      throw invalidArgument(
        `Label ${JSON.stringify(label)} of DNS name ${JSON.stringify(fqdn)} exceeds 63 chars, please shorten it`,
      );
  }
}
