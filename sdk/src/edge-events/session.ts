import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { DmeError } from '../dme-error';
import { toLoc, toTimestamp, type LocationInput } from '../location';
import { quietLogger, type SdkLogger } from '../logger';
import { dme } from '../proto';
import type { TransportCallOptions } from '../transport';
import { backoffDelay, sleep } from './backoff';
import { Emitter, type Listener } from './emitter';
import type { EdgeEvent, EdgeEventMap, LatencyTester } from './events';
import { PushQueue } from './push-queue';

const Client = dme.ClientEdgeEvent_ClientEventType;
const Server = dme.ServerEdgeEvent_ServerEventType;

/** Options of an edge-events session (`MatchingEngine.edgeEvents(found, options)`). */
export interface EdgeEventsOptions {
  /** First reconnect delay in milliseconds; default 500. */
  initialBackoffMs?: number;
  /** Longest reconnect delay; default 30000. */
  maxBackoffMs?: number;
  /** Reconnects in a row without a successful init before giving up; default unlimited. */
  maxReconnects?: number;
  /** The device's location now: sent after every (re)connect, used to renew an expired cookie. */
  location?: LocationInput;
  /** Sent with EVENT_INIT_CONNECTION. */
  deviceInfoStatic?: MessageInitShape<typeof dme.DeviceInfoStaticSchema>;
  /** Sent with EVENT_INIT_CONNECTION and location updates. */
  deviceInfoDynamic?: MessageInitShape<typeof dme.DeviceInfoDynamicSchema>;
  /** Answers EVENT_LATENCY_REQUEST by itself when given. */
  latencyTester?: LatencyTester;
  /** Reconnect to the new instance's stream after `newCloudlet`; default true. */
  autoMigrate?: boolean;
  /** Jitter source in [0, 1), for tests; default Math.random. */
  random?: () => number;
  logger?: SdkLogger;
}

/** What the session needs of the MatchingEngine: cookies, renewed when refused. */
export interface SessionSource {
  cookie(): Promise<string>;
  renew(): Promise<string>;
  findCloudlet(location: LocationInput): Promise<dme.FindCloudletReply>;
}

/** Constructor arguments; made by `MatchingEngine.edgeEvents`. */
export interface EdgeEventsInit extends EdgeEventsOptions {
  stream: (
    requests: AsyncIterable<dme.ClientEdgeEvent>,
    options?: TransportCallOptions,
  ) => AsyncIterable<dme.ServerEdgeEvent>;
  found: dme.FindCloudletReply;
  session: SessionSource;
}

/** Errors that no reconnect can fix. */
const PERMANENT = new Set([
  Code.INVALID_ARGUMENT,
  Code.NOT_FOUND,
  Code.PERMISSION_DENIED,
  Code.UNIMPLEMENTED,
  Code.FAILED_PRECONDITION,
]);

/**
 * A `StreamEdgeEvent` session for one app instance. It opens at once, sends
 * EVENT_INIT_CONNECTION with the session and edge-events cookies, and reconnects with
 * backoff whenever the stream is lost (renewing the cookies when they are refused).
 * Listen with `on(...)` or iterate `events()`.
 *
 * @example
 *   const events = me.edgeEvents(found, { location });
 *   events.on('newCloudlet', (better) => reconnectTo(better.fqdn, better.ports));
 *   events.sendLocation({ latitude, longitude });
 *   await events.close();
 */
export class EdgeEventsSession {
  private readonly init: EdgeEventsInit;
  private readonly log: SdkLogger;
  private readonly emitter: Emitter<EdgeEventMap>;
  private readonly stop = new AbortController();
  private readonly done: Promise<void>;
  private target: dme.FindCloudletReply;
  private location: dme.Loc | undefined;
  private out: PushQueue<dme.ClientEdgeEvent> | undefined;
  private call: AbortController | undefined;
  private isConnected = false;
  private migrating = false;
  private closed = false;

  constructor(init: EdgeEventsInit) {
    this.init = init;
    this.log = init.logger ?? quietLogger();
    this.target = init.found;
    this.location = init.location ? toLoc(init.location) : undefined;
    this.emitter = new Emitter((err, event) => this.log.warn({ err, event }, 'edge events listener threw'));
    this.done = this.run();
  }

  /** The instance the session follows: the FindCloudlet reply, or the latest `newCloudlet`. */
  get current(): dme.FindCloudletReply {
    return this.target;
  }

  /** True while the DME has accepted the stream. */
  get connected(): boolean {
    return this.isConnected;
  }

  /** Calls `fn` on every `event`; returns the function that removes it. */
  on<K extends keyof EdgeEventMap>(event: K, fn: Listener<EdgeEventMap[K]>): () => void {
    return this.emitter.on(event, fn);
  }

  /** The next `event`'s payload. */
  once<K extends keyof EdgeEventMap>(event: K, signal?: AbortSignal): Promise<EdgeEventMap[K]> {
    return this.emitter.once(event, signal);
  }

  /**
   * Every event reported from now until the session closes, e.g.
   * `for await (const e of session.events()) if (e.type === 'newCloudlet') …`.
   */
  events(): AsyncIterableIterator<EdgeEvent> {
    const queue = new PushQueue<EdgeEvent>();
    const names = Object.keys(EVENT_NAMES) as (keyof EdgeEventMap)[];
    const offs = names.map((type) =>
      this.emitter.on(type, (data) => {
        queue.push({ type, data } as EdgeEvent);
        if (type === 'closed') stop();
      }),
    );
    const stop = (): void => {
      for (const off of offs) off();
      queue.end();
    };
    if (this.closed) stop();
    const it = queue[Symbol.asyncIterator]();
    return {
      next: () => it.next(),
      return: () => {
        stop();
        return Promise.resolve({ done: true, value: undefined });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /**
   * Reports the device's location (EVENT_LOCATION_UPDATE); the DME answers `newCloudlet` when
   * another instance is now closer. Remembered and re-sent after a reconnect. False when
   * the stream is down right now.
   */
  sendLocation(location: LocationInput): boolean {
    this.location = toLoc(location);
    return this.send(this.locationUpdate(this.location));
  }

  /**
   * Sends latency samples in milliseconds (EVENT_LATENCY_SAMPLES) measured at `location`
   * (default the last one). The DME answers `latencyProcessed`. False when the stream is down.
   */
  sendLatencySamples(samplesMs: readonly number[], location?: LocationInput): boolean {
    const now = Date.now();
    const loc = location ? toLoc(location) : this.location;
    return this.send(
      create(dme.ClientEdgeEventSchema, {
        eventType: Client.EVENT_LATENCY_SAMPLES,
        samples: samplesMs.map((value) => ({ value, timestamp: toTimestamp(now) })),
        ...(loc ? { gpsLocation: loc } : {}),
      }),
    );
  }

  /** Measures latency with the configured tester and sends the samples; returns them. */
  async testLatency(): Promise<number[]> {
    const tester = this.init.latencyTester;
    if (!tester) throw new DmeError(Code.FAILED_PRECONDITION, 'no latencyTester configured');
    const samples = await tester(this.target);
    if (samples.length > 0) this.sendLatencySamples(samples);
    return samples;
  }

  /** Sends an app-defined event (EVENT_CUSTOM_EVENT) with optional samples. */
  sendCustomEvent(name: string, samplesMs: readonly number[] = []): boolean {
    const now = Date.now();
    return this.send(
      create(dme.ClientEdgeEventSchema, {
        eventType: Client.EVENT_CUSTOM_EVENT,
        customEvent: name,
        samples: samplesMs.map((value) => ({ value, timestamp: toTimestamp(now) })),
        ...(this.location ? { gpsLocation: this.location } : {}),
      }),
    );
  }

  /**
   * Ends the session: sends EVENT_TERMINATE_CONNECTION, half-closes, and resolves when the
   * stream is gone (cancelling it after `graceMs`, default 2000).
   */
  async close(graceMs = 2000): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.send(create(dme.ClientEdgeEventSchema, { eventType: Client.EVENT_TERMINATE_CONNECTION }));
      this.out?.end();
      this.stop.abort();
      const timer = setTimeout(() => this.call?.abort(), graceMs);
      await this.done;
      clearTimeout(timer);
    }
    await this.done;
  }

  private send(event: dme.ClientEdgeEvent): boolean {
    if (!this.isConnected || !this.out) return false;
    return this.out.push(event);
  }

  private locationUpdate(loc: dme.Loc): dme.ClientEdgeEvent {
    return create(dme.ClientEdgeEventSchema, {
      eventType: Client.EVENT_LOCATION_UPDATE,
      gpsLocation: loc,
      ...(this.init.deviceInfoDynamic ? { deviceInfoDynamic: this.init.deviceInfoDynamic } : {}),
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    let renewed = false;
    let reconnects = 0;
    const max = this.init.maxReconnects ?? Infinity;
    try {
      while (!this.closed) {
        const { initialized, error } = await this.connectOnce(reconnects);
        if (this.closed) break;
        if (this.migrating) {
          this.migrating = false;
          failures = 0;
          continue;
        }
        if (initialized) {
          failures = 0;
          renewed = false;
        }
        if (error && PERMANENT.has(error.code)) return this.fail(error);
        if (error?.code === Code.UNAUTHENTICATED) {
          if (renewed) return this.fail(error);
          renewed = true;
          const refreshError = await this.renewCookies(error);
          if (refreshError) return this.fail(refreshError);
        }
        if (failures >= max) {
          return this.fail(error ?? new DmeError(Code.UNAVAILABLE, 'edge events stream ended'));
        }
        const retryInMs = backoffDelay(
          {
            initialMs: this.init.initialBackoffMs ?? 500,
            maxMs: this.init.maxBackoffMs ?? 30000,
            ...(this.init.random ? { random: this.init.random } : {}),
          },
          failures++,
        );
        reconnects++;
        this.log.info({ err: error?.message, retryInMs }, 'edge events stream lost; reconnecting');
        this.emitter.emit('disconnected', { error, retryInMs });
        await sleep(retryInMs, this.stop.signal);
      }
    } finally {
      this.closed = true;
      this.emitter.emit('closed', undefined);
    }
  }

  private fail(error: DmeError): void {
    this.log.warn({ err: error.message, code: error.code }, 'edge events session gave up');
    this.closed = true;
    this.emitter.emit('error', error);
  }

  /** One stream: init, then events until it ends. */
  private async connectOnce(
    reconnects: number,
  ): Promise<{ initialized: boolean; error: DmeError | undefined }> {
    const out = new PushQueue<dme.ClientEdgeEvent>();
    const call = new AbortController();
    this.out = out;
    this.call = call;
    let initialized = false;
    try {
      const sessionCookie = await this.init.session.cookie();
      out.push(
        create(dme.ClientEdgeEventSchema, {
          eventType: Client.EVENT_INIT_CONNECTION,
          sessionCookie,
          edgeEventsCookie: this.target.edgeEventsCookie,
          ...(this.location ? { gpsLocation: this.location } : {}),
          ...(this.init.deviceInfoStatic ? { deviceInfoStatic: this.init.deviceInfoStatic } : {}),
          ...(this.init.deviceInfoDynamic ? { deviceInfoDynamic: this.init.deviceInfoDynamic } : {}),
        }),
      );
      for await (const ev of this.init.stream(out, { signal: call.signal })) {
        if (!initialized && ev.eventType === Server.EVENT_INIT_CONNECTION) {
          initialized = true;
          this.isConnected = true;
          if (this.location) out.push(this.locationUpdate(this.location));
          this.emitter.emit('event', ev);
          this.emitter.emit('connected', { reconnects });
          continue;
        }
        this.dispatch(ev);
      }
      return { initialized, error: undefined };
    } catch (err) {
      return { initialized, error: DmeError.from(err) };
    } finally {
      this.isConnected = false;
      out.end();
      if (this.out === out) this.out = undefined;
    }
  }

  private dispatch(ev: dme.ServerEdgeEvent): void {
    this.emitter.emit('event', ev);
    switch (ev.eventType) {
      case Server.EVENT_CLOUDLET_UPDATE:
        if (ev.newCloudlet) this.onNewCloudlet(ev.newCloudlet);
        break;
      case Server.EVENT_CLOUDLET_STATE:
        this.emitter.emit('cloudletState', ev);
        break;
      case Server.EVENT_CLOUDLET_MAINTENANCE:
        this.emitter.emit('cloudletMaintenance', ev);
        break;
      case Server.EVENT_APPINST_HEALTH:
        this.emitter.emit('appInstHealth', ev);
        break;
      case Server.EVENT_LATENCY_PROCESSED:
        if (ev.statistics) this.emitter.emit('latencyProcessed', ev.statistics);
        break;
      case Server.EVENT_LATENCY_REQUEST:
        this.emitter.emit('latencyRequest', ev);
        if (this.init.latencyTester) {
          this.testLatency().catch((err: unknown) => this.log.warn({ err }, 'latency test failed'));
        }
        break;
      case Server.EVENT_ERROR:
        this.emitter.emit('serverError', ev.errorMsg);
        break;
      default:
        this.log.debug({ eventType: ev.eventType }, 'edge event ignored');
    }
  }

  private onNewCloudlet(better: dme.FindCloudletReply): void {
    const migrate = (this.init.autoMigrate ?? true) && better.edgeEventsCookie !== '';
    this.target = better;
    this.emitter.emit('newCloudlet', better);
    if (migrate && !this.closed) {
      // Follow the app to the new instance: a new stream with the new edge-events cookie.
      this.migrating = true;
      this.send(create(dme.ClientEdgeEventSchema, { eventType: Client.EVENT_TERMINATE_CONNECTION }));
      this.out?.end();
      this.call?.abort();
    }
  }

  /** New session cookie, and a new edge-events cookie when the location is known. */
  private async renewCookies(cause: DmeError): Promise<DmeError | undefined> {
    try {
      await this.init.session.renew();
      if (!this.location) return undefined;
      const found = await this.init.session.findCloudlet(this.location);
      if (found.status !== dme.FindCloudletReply_FindStatus.FIND_FOUND) {
        return new DmeError(Code.NOT_FOUND, 'no app instance found while renewing edge events cookie');
      }
      const moved = found.fqdn !== this.target.fqdn;
      this.target = found;
      if (moved) this.emitter.emit('newCloudlet', found);
      return undefined;
    } catch (err) {
      this.log.warn({ err, cause: cause.message }, 'renewing edge events cookies failed');
      return DmeError.from(err);
    }
  }
}

/** Every event name, for `events()`. */
const EVENT_NAMES: Record<keyof EdgeEventMap, true> = {
  connected: true,
  newCloudlet: true,
  cloudletState: true,
  cloudletMaintenance: true,
  appInstHealth: true,
  latencyProcessed: true,
  latencyRequest: true,
  serverError: true,
  disconnected: true,
  error: true,
  event: true,
  closed: true,
};
