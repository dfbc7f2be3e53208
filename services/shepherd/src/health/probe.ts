import { connect } from 'node:net';

/**
 * Outcome of one TCP health check: `ok` (connected), `refused` (the host answered but
 * nothing accepts on the port: the server failed), `unreachable` (nothing on the host
 * answered: timeout, no route, unknown name — the original's root load balancer offline).
 */
export type ProbeResult = 'ok' | 'refused' | 'unreachable';

/** Dials `host:port` once within `timeoutMs`. */
export type Probe = (host: string, port: number, timeoutMs: number) => Promise<ProbeResult>;

/** Errors that show the host itself answered. */
const HOST_ANSWERED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/** A TCP connect, closed at once (the original's envoy `tcp_health_check: {}`). */
export const tcpProbe: Probe = (host, port, timeoutMs) =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    let settled = false;
    const done = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('unreachable'), timeoutMs);
    socket.once('connect', () => done('ok'));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(HOST_ANSWERED.has(err.code ?? '') ? 'refused' : 'unreachable'),
    );
  });
