import { create } from '@bufbuild/protobuf';
import { dme } from '@edge/proto';
import { DefaultOperator, NO_QOS_SERVER, SIMULATED_DEVICE_LOCATION } from './default-operator';
import { LocationResultCode, locationResult, resultCodeForDistance } from './location-result';

const LS = dme.VerifyLocationReply_GPSLocationStatus;

describe('location result bands', () => {
  it('maps distances to the smallest verified band above them, else same-country mismatch', () => {
    expect(resultCodeForDistance(0)).toBe(LocationResultCode.VERIFIED_NEAR);
    expect(resultCodeForDistance(1.99)).toBe(LocationResultCode.VERIFIED_NEAR);
    expect(resultCodeForDistance(2)).toBe(LocationResultCode.VERIFIED_MEDIUM);
    expect(resultCodeForDistance(50)).toBe(LocationResultCode.VERIFIED_FAR);
    expect(resultCodeForDistance(100)).toBe(LocationResultCode.MISMATCH_SAME_COUNTRY);
  });

  it('maps codes to status and accuracy; unknown codes are LOC_UNKNOWN', () => {
    expect(locationResult(2)).toEqual({ status: LS.LOC_VERIFIED, accuracyKm: 10 });
    expect(locationResult(5)).toEqual({ status: LS.LOC_MISMATCH_OTHER_COUNTRY, accuracyKm: -1 });
    expect(locationResult(42)).toEqual({ status: LS.LOC_UNKNOWN, accuracyKm: -1 });
  });
});

describe('DefaultOperator', () => {
  const op = new DefaultOperator(() => 0.5);

  it('verifies against the fixed simulated position (original test data)', async () => {
    const v = (latitude: number, longitude: number) =>
      op.verifyLocation(create(dme.VerifyLocationRequestSchema, { gpsLocation: { latitude, longitude } }));
    expect(await v(32.0139, -96.598)).toMatchObject({
      gpsLocationStatus: LS.LOC_VERIFIED,
      gpsLocationAccuracyKm: 2,
    });
    expect(await v(32.747, -97.095)).toMatchObject({
      gpsLocationStatus: LS.LOC_VERIFIED,
      gpsLocationAccuracyKm: 100,
    });
    expect(await v(52.65, 10.341)).toMatchObject({
      gpsLocationStatus: LS.LOC_MISMATCH_SAME_COUNTRY,
      gpsLocationAccuracyKm: -1,
    });
  });

  it('answers GetLocation with that position and cannot create QoS sessions', async () => {
    const g = await op.getLocation(create(dme.GetLocationRequestSchema, { carrierName: 'TDG' }));
    expect(g.status).toBe(dme.GetLocationReply_LocStatus.LOC_FOUND);
    expect(g.carrierName).toBe('TDG');
    expect(g.networkLocation).toMatchObject(SIMULATED_DEVICE_LOCATION);
    await expect(op.createQosSession()).rejects.toMatchObject({ code: 3, message: NO_QOS_SERVER });
    expect((await op.deleteQosSession()).status).toBe(
      dme.QosPrioritySessionDeleteReply_DeleteStatus.QDEL_UNKNOWN,
    );
  });

  it('simulates one KPI result per position', async () => {
    const r = await op.qosPositionKpi(
      create(dme.QosPositionRequestSchema, {
        positions: [
          { positionid: 1n, gpsLocation: { latitude: 1, longitude: 2 } },
          { positionid: 2n, gpsLocation: { latitude: 3, longitude: 4 } },
        ],
      }),
    );
    expect(r.status).toBe(dme.ReplyStatus.RS_SUCCESS);
    expect(r.positionResults.map((p) => p.positionid)).toEqual([1n, 2n]);
    expect(r.positionResults[0]!.latencyAvg).toBeGreaterThanOrEqual(30);
    expect(r.positionResults[0]!.latencyAvg).toBeLessThan(51);
  });
});
