import { create } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { DmeError } from './dme-error';
import { EdgeEventsSession, type EdgeEventsOptions } from './edge-events/session';
import { toLoc, type LocationInput } from './location';
import { quietLogger, type SdkLogger } from './logger';
import { dme } from './proto';
import type { ReplyOf, RequestOf, Transport, TransportCallOptions, UnaryMethod } from './transport';

/** Options of `new MatchingEngine(…)`: who the app is and how to reach the DME. */
export interface MatchingEngineOptions {
  /** REST (`createRestTransport`) or gRPC (`createGrpcTransport`). */
  transport: Transport;
  /** Developer organization of the app. */
  org: string;
  /** App name. */
  app: string;
  /** App version. */
  version: string;
  /** A stable id of this device/app install; with `uniqueIdType`. The DME makes one when absent. */
  uniqueId?: string;
  /** Type of `uniqueId`; default `sdk-uuid` when `uniqueId` is given. */
  uniqueIdType?: string;
  /** RS256 app token, for apps registered with an auth public key. */
  authToken?: string;
  /** Operator (cloudlet organization or operator code) to prefer; default all carriers. */
  carrier?: string;
  /** Tags sent with RegisterClient. */
  tags?: Record<string, string>;
  /** Per-call timeout in milliseconds; default the transport's. */
  timeoutMs?: number;
  /** Where the SDK logs; default nowhere. */
  logger?: SdkLogger;
}

/**
 * The device's view of the DME: registers (keeping the session cookie), finds the best app
 * instance and answers location questions. A call refused with UNAUTHENTICATED (cookie
 * expired or the DME's keys rotated) re-registers once and is retried.
 *
 * @example
 *   const me = new MatchingEngine({ transport, org: 'acme', app: 'game', version: '1.0' });
 *   const found = await me.registerAndFindCloudlet({ latitude: 52.52, longitude: 13.4 });
 *   if (found.status === dme.FindCloudletReply_FindStatus.FIND_FOUND) connect(found.fqdn, found.ports);
 */
export class MatchingEngine {
  readonly transport: Transport;
  private readonly opts: MatchingEngineOptions;
  private readonly log: SdkLogger;
  private cookie: string | undefined;
  private registering: Promise<dme.RegisterClientReply> | undefined;
  private lastRegister: dme.RegisterClientReply | undefined;

  constructor(options: MatchingEngineOptions) {
    for (const key of ['org', 'app', 'version'] as const) {
      if (typeof options[key] !== 'string') throw new TypeError(`MatchingEngine: ${key} must be a string`);
    }
    this.opts = options;
    this.transport = options.transport;
    this.log = options.logger ?? quietLogger();
  }

  /** The session cookie of the last successful registration, if any. */
  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  /** The unique id (and type) the DME assigned or accepted at the last registration. */
  get uniqueId(): { id: string; type: string } | undefined {
    const r = this.lastRegister;
    return r ? { id: r.uniqueId, type: r.uniqueIdType } : undefined;
  }

  /**
   * Registers the app with the DME and keeps the session cookie. Concurrent callers share
   * one registration. Fails with a DmeError (e.g. NOT_FOUND `app not found`).
   */
  registerClient(): Promise<dme.RegisterClientReply> {
    this.registering ??= this.doRegister().finally(() => (this.registering = undefined));
    return this.registering;
  }

  /** The best instance for `location`; `carrier` overrides the engine's carrier for this call. */
  findCloudlet(location: LocationInput, carrier?: string): Promise<dme.FindCloudletReply> {
    const loc = toLoc(location);
    return this.withSession('findCloudlet', (sessionCookie) =>
      create(dme.FindCloudletRequestSchema, {
        sessionCookie,
        carrierName: carrier ?? this.opts.carrier ?? '',
        gpsLocation: loc,
      }),
    );
  }

  /** Registers (always, fresh cookie) and then finds the best instance for `location`. */
  async registerAndFindCloudlet(location: LocationInput, carrier?: string): Promise<dme.FindCloudletReply> {
    await this.registerClient();
    return this.findCloudlet(location, carrier);
  }

  /** Up to `limit` nearest instances per cloudlet around `location` (server default when 0). */
  getAppInstList(location: LocationInput, limit = 0): Promise<dme.AppInstListReply> {
    const loc = toLoc(location);
    return this.withSession('getAppInstList', (sessionCookie) =>
      create(dme.AppInstListRequestSchema, {
        sessionCookie,
        carrierName: this.opts.carrier ?? '',
        gpsLocation: loc,
        limit,
      }),
    );
  }

  /** Asks the operator whether the device really is at `location`. */
  verifyLocation(location: LocationInput, verifyLocToken = ''): Promise<dme.VerifyLocationReply> {
    const loc = toLoc(location);
    return this.withSession('verifyLocation', (sessionCookie) =>
      create(dme.VerifyLocationRequestSchema, {
        sessionCookie,
        carrierName: this.opts.carrier ?? '',
        gpsLocation: loc,
        verifyLocToken,
      }),
    );
  }

  /** The FQDNs of the apps of the region (platform apps only). */
  getFqdnList(): Promise<dme.FqdnListReply> {
    return this.withSession('getFqdnList', (sessionCookie) =>
      create(dme.FqdnListRequestSchema, { sessionCookie }),
    );
  }

  /** The app's official FQDN and a client token for PlatformFindCloudlet. */
  getAppOfficialFqdn(location: LocationInput): Promise<dme.AppOfficialFqdnReply> {
    const loc = toLoc(location);
    return this.withSession('getAppOfficialFqdn', (sessionCookie) =>
      create(dme.AppOfficialFqdnRequestSchema, { sessionCookie, gpsLocation: loc }),
    );
  }

  /**
   * Opens an edge-events session for the instance of `found` (a FIND_FOUND reply): it
   * reconnects by itself and reports a better cloudlet as `newCloudlet`. Needs a transport
   * with `streamEdgeEvents` (gRPC).
   */
  edgeEvents(found: dme.FindCloudletReply, options: EdgeEventsOptions = {}): EdgeEventsSession {
    const stream = this.transport.streamEdgeEvents?.bind(this.transport);
    if (!stream) {
      throw new DmeError(
        Code.UNIMPLEMENTED,
        `edge events need a streaming transport, not ${this.transport.name}`,
      );
    }
    if (found.edgeEventsCookie === '') {
      throw new DmeError(Code.INVALID_ARGUMENT, 'FindCloudlet reply has no edge events cookie');
    }
    return new EdgeEventsSession({
      stream,
      found,
      session: {
        cookie: async () => this.cookie ?? (await this.registerClient()).sessionCookie,
        renew: async () => (await this.registerClient()).sessionCookie,
        findCloudlet: (loc) => this.findCloudlet(loc),
      },
      logger: this.log,
      ...options,
    });
  }

  /** Releases the transport. */
  close(): void {
    this.transport.close();
  }

  private async doRegister(): Promise<dme.RegisterClientReply> {
    const o = this.opts;
    const req = create(dme.RegisterClientRequestSchema, {
      orgName: o.org,
      appName: o.app,
      appVers: o.version,
      carrierName: o.carrier ?? '',
      authToken: o.authToken ?? '',
      uniqueId: o.uniqueId ?? '',
      uniqueIdType: o.uniqueId ? (o.uniqueIdType ?? 'sdk-uuid') : '',
      tags: o.tags ?? {},
    });
    const reply = await this.transport.unary('registerClient', req, this.callOptions());
    if (reply.status !== dme.ReplyStatus.RS_SUCCESS || reply.sessionCookie === '') {
      throw new DmeError(Code.UNKNOWN, `RegisterClient failed: status ${dme.ReplyStatus[reply.status]}`);
    }
    this.cookie = reply.sessionCookie;
    this.lastRegister = reply;
    this.log.debug({ transport: this.transport.name, app: o.app }, 'registered with the DME');
    return reply;
  }

  /**
   * Calls `method` with a request made for the current cookie (registering first when there
   * is none); on UNAUTHENTICATED registers again once and retries with the new cookie.
   */
  private async withSession<K extends Exclude<UnaryMethod, 'registerClient'>>(
    method: K,
    request: (cookie: string) => RequestOf<K>,
  ): Promise<ReplyOf<K>> {
    const cookie = this.cookie ?? (await this.registerClient()).sessionCookie;
    try {
      return await this.transport.unary(method, request(cookie), this.callOptions());
    } catch (err) {
      if (!(err instanceof DmeError) || err.code !== Code.UNAUTHENTICATED) throw err;
      this.log.info({ method, reason: err.message }, 'session cookie refused; registering again');
      if (this.cookie === cookie) this.cookie = undefined;
      const renewed = this.cookie ?? (await this.registerClient()).sessionCookie;
      return await this.transport.unary(method, request(renewed), this.callOptions());
    }
  }

  private callOptions(): TransportCallOptions {
    return this.opts.timeoutMs === undefined ? {} : { timeoutMs: this.opts.timeoutMs };
  }
}
