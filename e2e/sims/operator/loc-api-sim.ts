import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpError, jsonReply, remoteIp, SimServer } from './sim-server';
import { decodeToken, DEFAULT_TOKEN_VALID_SECONDS, generateToken } from './token';

/** A latitude/longitude pair. */
export interface SimLoc {
  latitude: number;
  longitude: number;
}

/** Request body of `POST /verifyLocation` and `/updateLocation` (the original's LocationRequestMessage). */
export interface LocationRequestMessage {
  latitude?: number;
  longitude?: number;
  token?: string;
  ipaddr?: string;
  serviceUrl?: string;
}

/** Reply of `POST /verifyLocation`: a location result code as a string, "-1" on errors. */
export interface LocationResponseMessage {
  matchingDegree: string;
  message: string;
}

export interface LocApiSimOptions {
  /** Known device IPs and their real positions. */
  locations?: Record<string, SimLoc>;
  /**
   * Country code of a position. With it, a claim in another country than the device's answers
   * MISMATCH_OTHER_COUNTRY, and a device outside `homeCountry` answers the roaming results.
   */
  countryOf?: (lat: number, lon: number) => string | undefined;
  /** Home country of the operator (default `US`). */
  homeCountry?: string;
  /** When set, requests must carry this HTTP basic auth (401 otherwise). */
  basicAuth?: { user: string; password: string };
  now?: () => number;
}

/** The token-server error text the original simulator copies from the real server. */
export const INVALID_TOKEN_MESSAGE =
  'ERROR REASON: crisp_soap_fault || RESULT: invalidToken || DETAILS: The provided token is invalid and cannot be processed.';

/** Location result codes (`matchingDegree`) the simulator answers. */
const R = { UNKNOWN: 0, MISMATCH_SAME: 4, MISMATCH_OTHER: 5, ROAMING_MATCH: 6, ROAMING_MISMATCH: 7 };
/** Verified distance bands (km) and their codes, smallest first. */
const BANDS: readonly [number, number][] = [
  [2, 1],
  [10, 2],
  [100, 3],
];

function distanceKm(a: SimLoc, b: SimLoc): number {
  const rad = Math.PI / 180;
  const s1 = Math.sin(((b.latitude - a.latitude) * rad) / 2);
  const s2 = Math.sin(((b.longitude - a.longitude) * rad) / 2);
  const h = s1 * s1 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * s2 * s2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Result code for a distance: the smallest verified band above it, else mismatch (same country). */
export function matchingDegreeForDistance(km: number): number {
  for (const [band, code] of BANDS) if (km < band) return code;
  return R.MISMATCH_SAME;
}

/**
 * Simulated operator location API (the original's loc-api-sim plus its token server):
 * `POST /verifyLocation`, `POST /updateLocation`, `GET /showLocations`, and the token server
 * `GET /its?followURL=…` (303 to `followURL?dt-id=<token>` for the caller's IP; `/itsexpired`
 * hands out an expired one).
 */
export class LocApiSim {
  readonly locations: Map<string, SimLoc>;
  private readonly server = new SimServer((req, body, res) => this.handle(req, body, res));
  private readonly now: () => number;

  constructor(private readonly opts: LocApiSimOptions = {}) {
    this.locations = new Map(Object.entries(opts.locations ?? {}));
    this.now = opts.now ?? Date.now;
  }

  start(port?: number, host?: string): Promise<string> {
    return this.server.start(port, host);
  }
  close(): Promise<void> {
    return this.server.close();
  }
  /** Base URL; the location verification URL (`--locVerUrl`) is `${url}/verifyLocation`. */
  get url(): string {
    return this.server.url;
  }
  /** A token server URL for `--toksrvurl`, with the `followURL` the verify request carries. */
  tokenServerUrl(followUrl = 'http://mexdemo.example.net'): string {
    return `${this.url}/its?followURL=${encodeURIComponent(followUrl)}`;
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (path === '/its' || path === '/itsexpired') return this.token(req, res, path === '/itsexpired');
    if (this.opts.basicAuth) {
      const { user, password } = this.opts.basicAuth;
      const want = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      if (req.headers.authorization !== want) return httpError(res, 401, 'unauthorized');
    }
    switch (path) {
      case '/verifyLocation':
        return this.verify(body, res);
      case '/updateLocation':
        return this.update(req, body, res);
      case '/showLocations':
        return jsonReply(res, 200, Object.fromEntries(this.locations));
      default:
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(
          '/verifyLocation -- verifies the location of an token vs lat and long\n' +
            '/updateLocation -- adds or replaces an IP->location entry\n' +
            '/showLocations -- shows current locations\n',
        );
    }
  }

  private parse(body: string, res: ServerResponse): LocationRequestMessage | undefined {
    try {
      const m = JSON.parse(body) as unknown;
      if (typeof m === 'object' && m !== null) return m as LocationRequestMessage;
      throw new Error('not an object');
    } catch (err) {
      httpError(res, 500, String(err));
      return undefined;
    }
  }

  private verify(body: string, res: ServerResponse): void {
    const req = this.parse(body, res);
    if (!req) return;
    const lat = req.latitude ?? 0;
    const lon = req.longitude ?? 0;
    // 0,0 is technically valid but treated as missing, as the original does.
    if (!req.token || (lat === 0 && lon === 0) || !req.serviceUrl)
      return httpError(res, 400, 'missing field');
    const tok = decodeToken(req.token, this.now());
    const out: LocationResponseMessage = { matchingDegree: '', message: '' };
    if (!tok?.valid) {
      out.matchingDegree = '-1';
      out.message = INVALID_TOKEN_MESSAGE;
      return jsonReply(res, 200, out);
    }
    const real = this.locations.get(tok.ip);
    if (!real) {
      out.matchingDegree = String(R.UNKNOWN);
      return jsonReply(res, 200, out);
    }
    const claimed = { latitude: lat, longitude: lon };
    let code = matchingDegreeForDistance(distanceKm(claimed, real));
    if (this.opts.countryOf) {
      const reqCc = this.opts.countryOf(lat, lon) ?? '';
      const realCc = this.opts.countryOf(real.latitude, real.longitude) ?? '';
      const mismatch = reqCc !== realCc && reqCc !== '' && realCc !== '';
      if (reqCc !== (this.opts.homeCountry ?? 'US')) code = mismatch ? R.ROAMING_MISMATCH : R.ROAMING_MATCH;
      else if (mismatch) code = R.MISMATCH_OTHER;
    }
    out.matchingDegree = String(code);
    jsonReply(res, 200, out);
  }

  private update(req: IncomingMessage, body: string, res: ServerResponse): void {
    const m = this.parse(body, res);
    if (!m) return;
    if (!m.latitude || !m.longitude) return httpError(res, 400, 'improperly formatted request');
    const ip = m.ipaddr || remoteIp(req);
    this.locations.set(ip, { latitude: m.latitude, longitude: m.longitude });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`Location DB Updated OK for ${ip}\n`);
  }

  private token(req: IncomingMessage, res: ServerResponse, expired: boolean): void {
    const follow = new URL(req.url ?? '/', 'http://sim').searchParams.get('followURL') ?? '';
    const token = generateToken(remoteIp(req), expired ? -10 : DEFAULT_TOKEN_VALID_SECONDS, this.now());
    res.writeHead(303, { location: `${follow}?dt-id=${token}` });
    res.end();
  }
}
