import { create } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { silentLogger, type Logger } from '@edge/log';
import { dme } from '@edge/proto';
import { DefaultOperator } from './default-operator';
import { LocationClient } from './http-location';
import { QosSessionClient } from './http-qos-sessions';
import type { OperatorApi } from './operator-api';

export interface HttpOperatorOptions {
  /** Location verification endpoint (`--locVerUrl`); empty = the default operator's simulation. */
  locVerUrl?: string;
  /** Token server URL (`--toksrvurl`), required for verification against `locVerUrl`. */
  tokSrvUrl?: string;
  /** QoS session server base URL (`--qosSesAddr`); empty = sessions cannot be created. */
  qosSesAddr?: string;
  qosSesApiKey?: string;
  locApiAuth?: { user: string; password: string };
  timeoutMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
  log?: Logger;
}

/**
 * An operator reached over HTTP (the original's operator plugin with the location and QoS session
 * servers): VerifyLocation against `locVerUrl` with the device's `verify_loc_token`, QoS sessions
 * against `qosSesAddr`. GetLocation and QoS KPIs stay simulated, as in the original plugin.
 */
export class HttpOperator implements OperatorApi {
  private readonly fallback: DefaultOperator;
  private readonly location: LocationClient | undefined;
  private readonly qos: QosSessionClient | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: HttpOperatorOptions) {
    this.log = (opts.log ?? silentLogger()).child({ component: 'operator' });
    this.fallback = new DefaultOperator(opts.random);
    const common = {
      log: this.log,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    };
    if (opts.locVerUrl)
      this.location = new LocationClient({
        ...common,
        locVerUrl: opts.locVerUrl,
        tokSrvUrl: opts.tokSrvUrl ?? '',
        ...(opts.locApiAuth ? { basicAuth: opts.locApiAuth } : {}),
      });
    if (opts.qosSesAddr)
      this.qos = new QosSessionClient({
        ...common,
        qosSesAddr: opts.qosSesAddr,
        ...(opts.qosSesApiKey ? { apiKey: opts.qosSesApiKey } : {}),
      });
  }

  async verifyLocation(req: dme.VerifyLocationRequest): Promise<dme.VerifyLocationReply> {
    if (!this.location) return this.fallback.verifyLocation(req);
    if (!this.opts.tokSrvUrl) throw invalidArgument('DME has no token server');
    if (req.verifyLocToken === '') throw invalidArgument('no VerifyLocToken in request');
    if (!req.gpsLocation) throw invalidArgument('no GpsLocation in request');
    const r = await this.location.verify(
      req.gpsLocation.latitude,
      req.gpsLocation.longitude,
      req.verifyLocToken,
    );
    return create(dme.VerifyLocationReplySchema, {
      gpsLocationStatus: r.status,
      gpsLocationAccuracyKm: r.accuracyKm,
    });
  }

  getLocation(req: dme.GetLocationRequest): Promise<dme.GetLocationReply> {
    return this.fallback.getLocation(req);
  }

  get hasQosSessionServer(): boolean {
    return this.qos !== undefined;
  }

  createQosSession(req: dme.QosPrioritySessionCreateRequest): Promise<dme.QosPrioritySessionReply> {
    return this.qos ? this.qos.create(req) : this.fallback.createQosSession();
  }

  deleteQosSession(req: dme.QosPrioritySessionDeleteRequest): Promise<dme.QosPrioritySessionDeleteReply> {
    return this.qos ? this.qos.delete(req) : this.fallback.deleteQosSession();
  }

  qosPositionKpi(req: dme.QosPositionRequest): Promise<dme.QosPositionKpiReply> {
    return this.fallback.qosPositionKpi(req);
  }
}

/** The operator for a DME's configuration: HTTP when a location or QoS server is set, else the default. */
export function createOperatorApi(opts: HttpOperatorOptions): OperatorApi {
  return opts.locVerUrl || opts.qosSesAddr ? new HttpOperator(opts) : new DefaultOperator(opts.random);
}
