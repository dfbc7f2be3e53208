import { create } from '@bufbuild/protobuf';
import { dme } from '@edge/proto';
import { cookieLocation, type Cookies } from '../auth/cookies';
import type { Found } from '../match/select';

/** A FindCloudletReply for `f` (FIND_FOUND) with a new edge-events cookie for `loc`. */
export function foundReply(f: Found, loc: dme.Loc | undefined, cookies: Cookies): dme.FindCloudletReply {
  const i = f.inst;
  return create(dme.FindCloudletReplySchema, {
    status: dme.FindCloudletReply_FindStatus.FIND_FOUND,
    fqdn: i.uri,
    ports: i.ports,
    cloudletLocation: i.location ?? {},
    edgeEventsCookie: cookies.edgeEvents({
      clusterorg: i.clusterOrg,
      clustername: i.clusterName,
      cloudletorg: i.cloudletOrg,
      cloudletname: i.cloudletName,
      location: cookieLocation(loc),
    }),
    qosResult: dme.FindCloudletReply_QosSessionResult.QOS_NOT_ATTEMPTED,
  });
}
