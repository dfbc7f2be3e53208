/** Earth radius used by the original's DistanceBetween (km). */
export const EARTH_RADIUS_KM = 6371;

const RAD = Math.PI / 180;

/** Great-circle distance in km between two lat/lon points (haversine, as the original). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLon / 2);
  const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Unit-sphere coordinates of a lat/lon point (chord length is monotone in great-circle distance). */
export function toXyz(lat: number, lon: number, out: Float64Array, at: number): void {
  const la = lat * RAD;
  const lo = lon * RAD;
  const c = Math.cos(la);
  out[at] = c * Math.cos(lo);
  out[at + 1] = c * Math.sin(lo);
  out[at + 2] = Math.sin(la);
}

/** Whether a location is a valid GPS position (the original's IsLatitudeValid / IsLongitudeValid). */
export function validLocation(lat: number, lon: number): boolean {
  return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}
