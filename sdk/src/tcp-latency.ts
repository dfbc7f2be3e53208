import { connect } from 'node:net';
import { Code } from '@edge/errors';
import { DmeError } from './dme-error';
import type { LatencyTester } from './edge-events/events';
import { firstTcpEndpoint, type Endpoint } from './ports';

/** Options of the TCP latency tester. */
export interface TcpLatencyOptions {
  /** Connects per measurement; default 5. */
  samples?: number;
  /** Give-up time per connect in milliseconds; default 3000. */
  timeoutMs?: number;
}

/** Milliseconds to open (and close) a TCP connection to `endpoint`. Node only. */
export function tcpConnectTime(endpoint: Endpoint, timeoutMs = 3000): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new DmeError(Code.DEADLINE_EXCEEDED, `connect to ${endpoint.host}:${endpoint.port} timed out`));
    });
    socket.once('connect', () => {
      const ms = performance.now() - started;
      socket.destroy();
      resolve(ms);
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(
        new DmeError(Code.UNAVAILABLE, `connect to ${endpoint.host}:${endpoint.port}: ${err.message}`, {
          cause: err,
        }),
      );
    });
  });
}

/**
 * A LatencyTester timing TCP connects to the first TCP port of the instance, for edge
 * events latency samples. Failed connects are left out of the samples.
 */
export function tcpLatencyTester(options: TcpLatencyOptions = {}): LatencyTester {
  const count = options.samples ?? 5;
  return async (target) => {
    const endpoint = firstTcpEndpoint(target);
    if (!endpoint) throw new DmeError(Code.FAILED_PRECONDITION, 'instance has no TCP port to test');
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      try {
        out.push(await tcpConnectTime(endpoint, options.timeoutMs));
      } catch {
        // an unreachable sample is not a latency; the others still count
      }
    }
    return out;
  };
}
