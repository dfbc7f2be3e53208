import { create, type Message } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { Regions } from '../regions/regions';
import { callController } from './ctrl-call';

/** `<org>/<name>` of a cloudlet or pool key. */
export const keyId = (k: { organization: string; name: string } | undefined): string =>
  `${k?.organization ?? ''}/${k?.name ?? ''}`;

/** Every CloudletPool of the region, read from its Controller (no RBAC: internal use). */
export async function regionPools(
  regions: Regions,
  region: string,
  traceId: string,
): Promise<edgeproto.CloudletPool[]> {
  const out: edgeproto.CloudletPool[] = [];
  const req: Message = create(edgeproto.CloudletPoolSchema);
  for await (const p of callController(
    regions,
    region,
    edgeproto.CloudletPoolApi.method.showCloudletPool,
    req,
    traceId,
  ))
    out.push(p as edgeproto.CloudletPool);
  return out;
}
