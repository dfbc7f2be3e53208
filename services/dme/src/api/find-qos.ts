import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import { create } from '@bufbuild/protobuf';
import { silentLogger, type Logger } from '@edge/log';
import { dme } from '@edge/proto';
import type { OperatorApi } from '../operator/operator-api';
import type { DmeApp } from '../state/model';

/** FindCloudletRequest tag with the device's IP address (the original's TagIpUserEquipment). */
export const TAG_IP_USER_EQUIPMENT = 'ip_user_equipment';
/** FindCloudletReply tags of a created session (TagPrioritySessionId, TagQosProfileName). */
export const TAG_PRIORITY_SESSION_ID = 'priority_session_id';
export const TAG_QOS_PROFILE_NAME = 'qos_profile_name';
/** Session length when the App sets none (the original's 24 h). */
export const DEFAULT_QOS_SESSION_S = 24 * 3600;

/** Reasons of QOS_SESSION_FAILED, as the original words them. */
export const QOS_NO_UE_ADDR = 'ip_user_equipment value not found in tags';
export const QOS_NO_AS_ADDR = 'Could not decode app inst FQDN';
export const QOS_UNKNOWN_PROTOCOL = 'Unknown port protocol.';
export const QOS_NO_SESSION_ID = 'No session ID received from QOS API server';

const R = dme.FindCloudletReply_QosSessionResult;

export interface FindCloudletQosDeps {
  /** Creates the sessions; only used when it has a QoS session server. */
  operator: OperatorApi;
  /** The IPv4 address of an instance FQDN; default DNS (an IPv4 literal as is). */
  resolveIpv4?: (fqdn: string) => Promise<string | undefined>;
  log?: Logger;
}

/**
 * The QoS step of FindCloudlet (the original DME with `-qossesaddr`): when the found App
 * asks for a QoS profile, a priority session is created between the device (its address in
 * the request tag `ip_user_equipment`) and the instance (its FQDN's IPv4 address, the App's
 * first port and protocol) for the App's duration (default 24 h). The reply tells how it
 * went (`qos_result`, `qos_error_msg`) and carries the session id and profile name in its
 * tags. A failure never fails the FindCloudlet.
 */
export class FindCloudletQos {
  private readonly resolveIpv4: (fqdn: string) => Promise<string | undefined>;
  private readonly log: Logger;

  constructor(private readonly d: FindCloudletQosDeps) {
    this.resolveIpv4 = d.resolveIpv4 ?? resolveIpv4;
    this.log = (d.log ?? silentLogger()).child({ component: 'find-qos' });
  }

  /** Adds the session outcome to a FIND_FOUND `reply` for `app`; `tags` are the request's. */
  async apply(
    reply: dme.FindCloudletReply,
    app: DmeApp | undefined,
    tags: Readonly<Record<string, string>>,
  ): Promise<dme.FindCloudletReply> {
    const profile = app?.qosSessionProfile ?? dme.QosSessionProfile.QOS_NO_PRIORITY;
    if (!app || profile === dme.QosSessionProfile.QOS_NO_PRIORITY) return reply;
    const failed = (msg: string): dme.FindCloudletReply => {
      reply.qosResult = R.QOS_SESSION_FAILED;
      reply.qosErrorMsg = msg;
      return reply;
    };
    const ueAddr = tags[TAG_IP_USER_EQUIPMENT] ?? '';
    if (ueAddr === '') return failed(QOS_NO_UE_ADDR);
    const asAddr = await this.resolveIpv4(reply.fqdn);
    if (!asAddr) return failed(QOS_NO_AS_ADDR);
    const port = app.ports[0];
    const protocol =
      port?.proto === dme.LProto.TCP
        ? dme.QosSessionProtocol.TCP
        : port?.proto === dme.LProto.UDP
          ? dme.QosSessionProtocol.UDP
          : undefined;
    if (!port || protocol === undefined) return failed(QOS_UNKNOWN_PROTOCOL);
    let session: dme.QosPrioritySessionReply;
    try {
      session = await this.d.operator.createQosSession(
        create(dme.QosPrioritySessionCreateRequestSchema, {
          ipApplicationServer: asAddr,
          ipUserEquipment: ueAddr,
          portApplicationServer: String(port.internalPort),
          profile,
          protocolIn: protocol,
          sessionDuration: app.qosSessionDurationS || DEFAULT_QOS_SESSION_S,
        }),
      );
    } catch (err) {
      this.log.info({ err, app: app.keyJson }, 'QoS priority session for FindCloudlet failed');
      return failed(err instanceof Error ? err.message : String(err));
    }
    if (session.sessionId === '') return failed(QOS_NO_SESSION_ID);
    reply.tags[TAG_PRIORITY_SESSION_ID] = session.sessionId;
    reply.tags[TAG_QOS_PROFILE_NAME] = dme.QosSessionProfile[profile];
    reply.qosResult = R.QOS_SESSION_CREATED;
    return reply;
  }
}

/** The first IPv4 address of `fqdn` (an IPv4 literal as is); undefined when it has none. */
export async function resolveIpv4(fqdn: string): Promise<string | undefined> {
  if (isIPv4(fqdn)) return fqdn;
  if (fqdn === '') return undefined;
  try {
    return (await lookup(fqdn, { family: 4 })).address;
  } catch {
    return undefined;
  }
}
