import { create } from '@bufbuild/protobuf';
import { dme } from '@edge/proto';

/** A value near `base` (±10, not below 0) plus a fraction, as the original's simulated KPIs. */
function near(base: number, random: () => number): number {
  const min = Math.max(0, base - 10);
  const max = base + 10;
  return Math.floor(random() * (max - min)) + min + random();
}

/** Fake QoS position KPIs, one result per requested position (the original's simulated-qos). */
export function simulatedQosPositionKpi(
  req: dme.QosPositionRequest,
  random: () => number = Math.random,
): dme.QosPositionKpiReply {
  return create(dme.QosPositionKpiReplySchema, {
    status: dme.ReplyStatus.RS_SUCCESS,
    positionResults: req.positions.map((p) =>
      create(dme.QosPositionKpiResultSchema, {
        positionid: p.positionid,
        ...(p.gpsLocation ? { gpsLocation: p.gpsLocation } : {}),
        dluserthroughputMin: near(1, random),
        dluserthroughputMax: near(100, random),
        dluserthroughputAvg: near(50, random),
        uluserthroughputMin: near(1, random),
        uluserthroughputMax: near(50, random),
        uluserthroughputAvg: near(25, random),
        latencyMin: near(20, random),
        latencyMax: near(60, random),
        latencyAvg: near(40, random),
      }),
    ),
  });
}
