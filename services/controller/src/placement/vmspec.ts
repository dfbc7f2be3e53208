import { create } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';

/** The cloudlet's ResTagTables by optional-resource type (`gpu`), or undefined when it maps none. */
export type ResTables = Readonly<Record<string, edgeproto.ResTagTable>> | undefined;

/** What a VM of a mex flavor becomes on a cloudlet. */
export interface VmSpec {
  flavorName: string;
  externalVolumeSize: bigint;
  availabilityZone: string;
  imageName: string;
  flavorInfo: edgeproto.FlavorInfo;
}

/**
 * The cloudlet's ResTagTables by resource type, read through `get` (a transaction or
 * the cache); undefined when the cloudlet has no res_tag_map, as the original's nil map.
 */
export async function resTables(
  cloudlet: edgeproto.Cloudlet,
  get: (key: edgeproto.ResTagTableKey) => Promise<edgeproto.ResTagTable | undefined>,
): Promise<ResTables> {
  const entries = Object.entries(cloudlet.resTagMap);
  if (entries.length === 0) return undefined;
  const out: Record<string, edgeproto.ResTagTable> = {};
  for (const [res, key] of entries) {
    const t = await get(key);
    if (t) out[res] = t;
  }
  return out;
}

/** The optional resources a platform flavor offers, judged by its properties against the tables. */
export function osFlavorResources(flavor: edgeproto.FlavorInfo, tbls: ResTables): Set<string> {
  const out = new Set<string>();
  const props = Object.values(flavor.propMap);
  if (props.length === 0 || !tbls) return out;
  for (const [res, tbl] of Object.entries(tbls))
    for (const fv of props) for (const val of Object.values(tbl.tags)) if (fv.includes(val)) out.add(res);
  return out;
}

/** Whether a platform flavor offers a GPU. */
export function usesGpu(flavor: edgeproto.FlavorInfo, tbls: ResTables): boolean {
  return osFlavorResources(flavor, tbls).has('gpu');
}

/** ClusterInst/AppInst.opt_res: `gpu` when the chosen platform flavor provides one. */
export function gpuHint(spec: VmSpec, tbls: ResTables): string {
  return usesGpu(spec.flavorInfo, tbls) || spec.flavorInfo.name.includes('gpu') ? 'gpu' : '';
}

const splitReq = (s: string): string[] =>
  s.includes(':') ? s.split(':') : s.includes('=') ? s.split('=') : [];

/** Whether platform flavor `flavor` satisfies the request `req` (e.g. `pci:t4:1`) via table `tbl`. */
function match(req: string, flavor: edgeproto.FlavorInfo, tbl: edgeproto.ResTagTable): boolean {
  const request = splitReq(req);
  let type = '';
  let spec = '';
  let count = '';
  if (request.length === 2) [type = '', count = ''] = request;
  else if (request.length === 3) [type = '', spec = '', count = ''] = request;
  const wildcard = request.length === 2 && type === 'gpu';
  if (!/^[-+]?\d+$/.test(count)) return false;
  const reqcnt = Number(count);
  if (reqcnt === 0) return false;
  const props = Object.entries(flavor.propMap);
  for (const [tagKey, tagVal] of Object.entries(tbl.tags)) {
    for (let i = 0; i < props.length; i++) {
      const [fk, fv] = props[i] as [string, string];
      const alias = splitReq(fv);
      if (alias.length !== 2) continue;
      const cnt = (alias[1] ?? '').replace(/^"+|"+$/g, '').replace(/^'+|'+$/g, '');
      const flavcnt = /^[-+]?\d+$/.test(cnt) ? Number(cnt) : 0;
      if (!/^[-+]?\d+$/.test(cnt) && i === props.length - 1) return false;
      if (wildcard) {
        if (fk.includes(tagKey) && flavcnt >= reqcnt) return true;
      } else if (type === tagKey && fk.includes(tagKey) && fv.includes(tagVal) && flavcnt >= reqcnt) {
        if (spec !== '' && !fv.includes(spec)) continue;
        return true;
      }
    }
  }
  return false;
}

const sameSet = (a: Set<string>, b: Set<string>): boolean =>
  a.size === b.size && [...a].every((x) => b.has(x));

/** The requested optional resources all match and the platform flavor offers no others. */
function resLookup(
  nodeflavor: edgeproto.Flavor,
  flavor: edgeproto.FlavorInfo,
  info: edgeproto.CloudletInfo,
  tbls: ResTables,
): { az: string; img: string } | undefined {
  const got = new Set<string>();
  for (const [res, request] of Object.entries(nodeflavor.optResMap)) {
    const tbl = tbls?.[res];
    if (!tbl) continue;
    if (!match(request, flavor, tbl)) return undefined;
    got.add(res);
  }
  if (!sameSet(got, osFlavorResources(flavor, tbls))) return undefined;
  const az = info.availabilityZones.find((z) => z.name.toLowerCase().includes('gpu'))?.name ?? '';
  const img = info.osImages.find((i) => i.name.toLowerCase().includes('gpu'))?.name ?? '';
  return { az, img };
}

function validateGpu(nodeflavor: edgeproto.Flavor, info: edgeproto.CloudletInfo, tbls: ResTables): void {
  const req = nodeflavor.optResMap['gpu'];
  if (req === undefined) return;
  const name = info.key?.name ?? '';
  if (!tbls?.['gpu']) throw invalidArgument(`Cloudlet ${name} doesn't support GPU`);
  const request = splitReq(req);
  if (request.length < 2)
    throw invalidArgument(
      `Invalid optresmap ${JSON.stringify(request)} found in flavor ${nodeflavor.key?.name ?? ''}`,
    );
  const keys = new Set(Object.values(tbls).flatMap((t) => Object.keys(t.tags)));
  if (!keys.has(request[0] ?? ''))
    throw invalidArgument(
      `Invalid node flavor ${nodeflavor.key?.name ?? ''}, cloudlet ${JSON.stringify(name)} doesn't support GPU resource ${JSON.stringify(request[0])}`,
    );
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The original's GetVMSpec: the smallest platform flavor (by vcpus, ram, disk) that fits
 * the mex flavor; a platform flavor with disk 0 means a separate volume of the requested
 * size. GPU requests resolve through the cloudlet's ResTagTables; without one, platform
 * flavors named `gpu` or offering optional resources are skipped. A cloudlet that lists
 * no flavors takes the mex flavor as is.
 */
export function getVmSpec(
  nodeflavor: edgeproto.Flavor,
  info: edgeproto.CloudletInfo,
  tbls: ResTables,
): VmSpec {
  const name = nodeflavor.key?.name ?? '';
  if (info.flavors.length === 0) {
    const flavorInfo = create(edgeproto.FlavorInfoSchema, {
      name,
      vcpus: nodeflavor.vcpus,
      ram: nodeflavor.ram,
      disk: nodeflavor.disk,
    });
    return { flavorName: name, externalVolumeSize: 0n, availabilityZone: '', imageName: '', flavorInfo };
  }
  validateGpu(nodeflavor, info, tbls);
  const wantsOptRes = Object.keys(nodeflavor.optResMap).length > 0;
  if (wantsOptRes && !tbls)
    throw invalidArgument(
      `Optional resource requested by ${name}, cloudlet ${info.key?.name ?? ''} supports none`,
    );
  const sorted = [...info.flavors].sort(
    (a, b) => cmp(a.vcpus, b.vcpus) || cmp(a.ram, b.ram) || cmp(a.disk, b.disk),
  );
  let externalVolumeSize = 0n;
  for (const flavor of sorted) {
    if (flavor.vcpus < nodeflavor.vcpus || flavor.ram < nodeflavor.ram) continue;
    // the original keeps the volume size once set, even if this flavor is then skipped
    if (flavor.disk === 0n) externalVolumeSize = nodeflavor.disk;
    else if (flavor.disk < nodeflavor.disk) continue;
    let az = '';
    let img = '';
    if (wantsOptRes) {
      const found = resLookup(nodeflavor, flavor, info, tbls);
      if (!found) continue;
      ({ az, img } = found);
    } else if (flavor.name.includes('gpu') || osFlavorResources(flavor, tbls).size !== 0) {
      continue;
    }
    return {
      flavorName: flavor.name,
      externalVolumeSize,
      availabilityZone: az,
      imageName: img,
      flavorInfo: flavor,
    };
  }
  throw invalidArgument(`no suitable platform flavor found for ${name}, please try a smaller flavor`);
}
