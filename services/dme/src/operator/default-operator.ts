import { create } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { dme } from '@edge/proto';
import { distanceKm } from '../match/geo';
import { locationResult, resultCodeForDistance } from './location-result';
import type { OperatorApi } from './operator-api';
import { simulatedQosPositionKpi } from './simulated-qos-kpi';

/** The fixed "real" device position of the original's default operator. */
export const SIMULATED_DEVICE_LOCATION = { latitude: 32.013988, longitude: -96.598243 } as const;

/** Text of QosPrioritySessionCreate when no QoS session server is configured (original). */
export const NO_QOS_SERVER = 'Cannot create session because qosSesAddr not defined.';

/**
 * The operator used when no operator servers are configured (the original's `defaultoperator`):
 * VerifyLocation compares against a fixed simulated position by distance bands, GetLocation
 * answers that position, QoS KPIs are simulated, and QoS sessions cannot be created.
 */
export class DefaultOperator implements OperatorApi {
  /** No QoS session server: FindCloudlet never creates sessions. */
  readonly hasQosSessionServer: boolean = false;

  constructor(private readonly random: () => number = Math.random) {}

  verifyLocation(req: dme.VerifyLocationRequest): Promise<dme.VerifyLocationReply> {
    const reply = create(dme.VerifyLocationReplySchema, {
      gpsLocationStatus: dme.VerifyLocationReply_GPSLocationStatus.LOC_UNKNOWN,
      gpsLocationAccuracyKm: -1,
    });
    const loc = req.gpsLocation;
    if (loc) {
      const d = distanceKm(
        loc.latitude,
        loc.longitude,
        SIMULATED_DEVICE_LOCATION.latitude,
        SIMULATED_DEVICE_LOCATION.longitude,
      );
      const r = locationResult(resultCodeForDistance(d));
      reply.gpsLocationStatus = r.status;
      reply.gpsLocationAccuracyKm = r.accuracyKm;
    }
    return Promise.resolve(reply);
  }

  getLocation(req: dme.GetLocationRequest): Promise<dme.GetLocationReply> {
    return Promise.resolve(
      create(dme.GetLocationReplySchema, {
        status: dme.GetLocationReply_LocStatus.LOC_FOUND,
        carrierName: req.carrierName,
        networkLocation: { ...SIMULATED_DEVICE_LOCATION },
      }),
    );
  }

  createQosSession(): Promise<dme.QosPrioritySessionReply> {
    return Promise.reject(invalidArgument(NO_QOS_SERVER));
  }

  /** Without a QoS server the original answers an empty reply (QDEL_UNKNOWN). */
  deleteQosSession(): Promise<dme.QosPrioritySessionDeleteReply> {
    return Promise.resolve(create(dme.QosPrioritySessionDeleteReplySchema, {}));
  }

  qosPositionKpi(req: dme.QosPositionRequest): Promise<dme.QosPositionKpiReply> {
    return Promise.resolve(simulatedQosPositionKpi(req, this.random));
  }
}
