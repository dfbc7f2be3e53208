import { EARTH_RADIUS_KM } from '../match/geo';

const KM_PER_DEG = (Math.PI * EARTH_RADIUS_KM) / 180;

/**
 * The location tile of a point for stats (Settings `location_tile_side_length_km`): a grid of
 * squares `sideKm` on a side, named `"<lat1>,<lon1>_<lat2>,<lon2>_<sideKm>"` by their south-west
 * and north-east corners (degrees, 6 decimals), as the original's locationtile tag.
 */
export function locationTile(lat: number, lon: number, sideKm: number): string {
  const side = sideKm > 0 ? sideKm : 2;
  const dLat = side / KM_PER_DEG;
  const row = Math.floor((lat + 90) / dLat);
  const lat1 = Math.min(90, row * dLat - 90);
  const lat2 = Math.min(90, lat1 + dLat);
  // Longitude degrees shrink towards the poles: size the columns at the tile's middle.
  const cos = Math.max(Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180)), 1e-6);
  const dLon = Math.min(360, side / (KM_PER_DEG * cos));
  const col = Math.floor((lon + 180) / dLon);
  const lon1 = col * dLon - 180;
  const lon2 = Math.min(180, lon1 + dLon);
  const f = (x: number): string => x.toFixed(6);
  return `${f(lat1)},${f(lon1)}_${f(lat2)},${f(lon2)}_${side}`;
}
