import { dme } from '@edge/proto';

const LS = dme.VerifyLocationReply_GPSLocationStatus;

/**
 * Location result codes an operator location server answers with (`matchingDegree`), as in the
 * original's dme-common: 0 unknown, 1–3 verified within 2/10/100 km, 4–7 mismatch and roaming.
 */
export const LocationResultCode = {
  UNKNOWN: 0,
  VERIFIED_NEAR: 1,
  VERIFIED_MEDIUM: 2,
  VERIFIED_FAR: 3,
  MISMATCH_SAME_COUNTRY: 4,
  MISMATCH_OTHER_COUNTRY: 5,
  ROAMING_COUNTRY_MATCH: 6,
  ROAMING_COUNTRY_MISMATCH: 7,
} as const;

/** What a VerifyLocation reply says: the status and the radius (km) it was verified within, -1 if not. */
export interface LocationResult {
  status: dme.VerifyLocationReply_GPSLocationStatus;
  accuracyKm: number;
}

const RANGES: ReadonlyMap<number, LocationResult> = new Map([
  [LocationResultCode.UNKNOWN, { status: LS.LOC_UNKNOWN, accuracyKm: -1 }],
  [LocationResultCode.VERIFIED_NEAR, { status: LS.LOC_VERIFIED, accuracyKm: 2 }],
  [LocationResultCode.VERIFIED_MEDIUM, { status: LS.LOC_VERIFIED, accuracyKm: 10 }],
  [LocationResultCode.VERIFIED_FAR, { status: LS.LOC_VERIFIED, accuracyKm: 100 }],
  [LocationResultCode.MISMATCH_SAME_COUNTRY, { status: LS.LOC_MISMATCH_SAME_COUNTRY, accuracyKm: -1 }],
  [LocationResultCode.MISMATCH_OTHER_COUNTRY, { status: LS.LOC_MISMATCH_OTHER_COUNTRY, accuracyKm: -1 }],
  [LocationResultCode.ROAMING_COUNTRY_MATCH, { status: LS.LOC_ROAMING_COUNTRY_MATCH, accuracyKm: -1 }],
  [LocationResultCode.ROAMING_COUNTRY_MISMATCH, { status: LS.LOC_ROAMING_COUNTRY_MISMATCH, accuracyKm: -1 }],
]);

/** Maps a result code to status and accuracy; unknown codes map to LOC_UNKNOWN / -1. */
export function locationResult(code: number): LocationResult {
  return { ...(RANGES.get(code) ?? RANGES.get(LocationResultCode.UNKNOWN)!) };
}

/**
 * The result code for a distance (km) between claimed and real position: the smallest verified
 * band strictly larger than the distance, else MISMATCH_SAME_COUNTRY (no knowledge of countries).
 */
export function resultCodeForDistance(distanceKm: number): number {
  let best: number = LocationResultCode.MISMATCH_SAME_COUNTRY;
  let closest = Infinity;
  for (const [code, r] of RANGES) {
    if (r.accuracyKm >= 0 && r.accuracyKm > distanceKm && r.accuracyKm < closest) {
      best = code;
      closest = r.accuracyKm;
    }
  }
  return best;
}
