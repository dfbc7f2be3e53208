import { dme } from '@edge/proto';
import { silentLogger, type Logger } from '@edge/log';
import { locationResult, type LocationResult } from './location-result';

const LS = dme.VerifyLocationReply_GPSLocationStatus;

export interface LocationClientOptions {
  /** The operator's location verification endpoint (`--locVerUrl`), e.g. `http://host:8080/verifyLocation`. */
  locVerUrl: string;
  /** The token server URL given to devices (`--toksrvurl`); its `followURL` query is the service URL. */
  tokSrvUrl: string;
  /** HTTP basic auth sent to the location server (the original's LOCAPI_USER / LOCAPI_PASSWD). */
  basicAuth?: { user: string; password: string };
  timeoutMs?: number;
  fetch?: typeof fetch;
  log?: Logger;
}

const errorOther = (): LocationResult => ({ status: LS.LOC_ERROR_OTHER, accuracyKm: -1 });
const unauthorized = (): LocationResult => ({ status: LS.LOC_ERROR_UNAUTHORIZED, accuracyKm: -1 });

/**
 * Client of an operator location verification server (request `{latitude, longitude, token,
 * serviceUrl}`, reply `{matchingDegree, message}`). Failures never throw: they answer
 * LOC_ERROR_OTHER, or LOC_ERROR_UNAUTHORIZED for 401/403 and invalid tokens, as the original.
 */
export class LocationClient {
  private readonly log: Logger;
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: LocationClientOptions) {
    this.log = (opts.log ?? silentLogger()).child({ component: 'operator-location' });
    this.fetch = opts.fetch ?? fetch;
  }

  async verify(latitude: number, longitude: number, token: string): Promise<LocationResult> {
    let serviceUrl: string | null;
    try {
      serviceUrl = new URL(this.opts.tokSrvUrl).searchParams.get('followURL');
    } catch {
      this.log.warn({ url: this.opts.tokSrvUrl }, 'cannot parse token server URL');
      return errorOther();
    }
    if (!serviceUrl) {
      this.log.warn({ url: this.opts.tokSrvUrl }, 'no followURL in token server URL');
      return errorOther();
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.opts.basicAuth) {
      const { user, password } = this.opts.basicAuth;
      headers['authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    }
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(this.opts.locVerUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ latitude, longitude, token, serviceUrl }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
      text = await res.text();
    } catch (err) {
      this.log.warn({ err }, 'location verification request failed');
      return errorOther();
    }
    if (res.status === 401 || res.status === 403) {
      this.log.warn({ status: res.status }, 'location server refused the request');
      return unauthorized();
    }
    if (res.status !== 200) {
      this.log.warn({ status: res.status }, 'location server answered an error');
      return errorOther();
    }
    let body: { matchingDegree?: unknown; message?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (err) {
      this.log.warn({ err }, 'cannot parse location server reply');
      return errorOther();
    }
    const degree = typeof body.matchingDegree === 'string' ? body.matchingDegree.trim() : '';
    if (!/^-?\d+$/.test(degree)) {
      this.log.warn({ matchingDegree: body.matchingDegree }, 'bad matchingDegree');
      return errorOther();
    }
    const md = Number(degree);
    if (md < 0) {
      const message = typeof body.message === 'string' ? body.message : '';
      this.log.debug({ message }, 'location server could not verify');
      return message.includes('invalidToken') ? unauthorized() : errorOther();
    }
    return locationResult(md);
  }
}
