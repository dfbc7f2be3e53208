import type { dme } from '@edge/proto';

/**
 * The operator's network APIs the DME calls on behalf of devices (the original's OperatorApiGw):
 * location verification and lookup, QoS priority sessions, predicted QoS KPIs. Implementations
 * throw `EdgeError`s for failures the caller should see as a gRPC status.
 */
export interface OperatorApi {
  /**
   * A QoS priority session server is configured (the original's `-qossesaddr`): FindCloudlet
   * then creates sessions for Apps with a QoS profile. Absent = false.
   */
  readonly hasQosSessionServer?: boolean;
  /** Checks the claimed `gps_location` (already validated by the DME) against the network's view. */
  verifyLocation(req: dme.VerifyLocationRequest): Promise<dme.VerifyLocationReply>;
  /** The device location as the network sees it. */
  getLocation(req: dme.GetLocationRequest): Promise<dme.GetLocationReply>;
  /** Creates a QoS priority session (session id, start and expiry in Unix seconds). */
  createQosSession(req: dme.QosPrioritySessionCreateRequest): Promise<dme.QosPrioritySessionReply>;
  /** Deletes a QoS priority session; an unknown id answers QDEL_NOT_FOUND. */
  deleteQosSession(req: dme.QosPrioritySessionDeleteRequest): Promise<dme.QosPrioritySessionDeleteReply>;
  /** Predicted KPIs for positions; the original sends them as one reply on the stream. */
  qosPositionKpi(req: dme.QosPositionRequest): Promise<dme.QosPositionKpiReply>;
}
