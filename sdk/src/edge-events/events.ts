import type { DmeError } from '../dme-error';
import type { dme } from '../proto';

/** What an edge-events session reports, by event name. */
export interface EdgeEventMap {
  /** The DME accepted the stream (EVENT_INIT_CONNECTION); `reconnects` counts earlier losses. */
  connected: { reconnects: number };
  /** A better instance is available (EVENT_CLOUDLET_UPDATE): connect the app to it. */
  newCloudlet: dme.FindCloudletReply;
  /** The instance's cloudlet changed state (EVENT_CLOUDLET_STATE). */
  cloudletState: dme.ServerEdgeEvent;
  /** The instance's cloudlet entered or left maintenance (EVENT_CLOUDLET_MAINTENANCE). */
  cloudletMaintenance: dme.ServerEdgeEvent;
  /** The instance's health check changed (EVENT_APPINST_HEALTH). */
  appInstHealth: dme.ServerEdgeEvent;
  /** The DME's statistics of the latency samples just sent (EVENT_LATENCY_PROCESSED). */
  latencyProcessed: dme.Statistics;
  /** The DME asks for latency samples (EVENT_LATENCY_REQUEST). */
  latencyRequest: dme.ServerEdgeEvent;
  /** The DME reported an error on the stream (EVENT_ERROR); the stream stays open. */
  serverError: string;
  /** The stream was lost; the session reconnects after `retryInMs`. */
  disconnected: { error: DmeError | undefined; retryInMs: number };
  /** The session gave up (a permanent error, or reconnects exhausted); it is closed. */
  error: DmeError;
  /** Every event the DME sent, as received. */
  event: dme.ServerEdgeEvent;
  /** The session ended (by `close()` or after `error`). */
  closed: undefined;
}

/** One reported event, for `for await (const e of session.events())`. */
export type EdgeEvent = {
  [K in keyof EdgeEventMap]: { type: K; data: EdgeEventMap[K] };
}[keyof EdgeEventMap];

/**
 * Measures latency to the instance of `target` (milliseconds per sample), for
 * EVENT_LATENCY_SAMPLES; `tcpLatencyTester` (Node) connects to its first TCP port.
 */
export type LatencyTester = (target: dme.FindCloudletReply) => Promise<number[]>;
