import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { TraceContext } from './trace';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'apikey',
  '*.apikey',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  'session_cookie',
  '*.session_cookie',
  'access_vars',
  '*.access_vars',
  'private_key_pem',
  '*.private_key_pem',
  '*.crm_access_private_key',
];

export interface LoggerConfig {
  /** Service or component name, logged as `svc`. */
  name: string;
  /** pino level; default `info`. */
  level?: string;
  /** Adds `traceId` of the current request to every line. */
  trace?: TraceContext;
  /** Extra paths to redact besides REDACT_PATHS. */
  redact?: string[];
  /** Where lines go; default stdout. Tests pass a memory stream. */
  destination?: DestinationStream;
}

/** Root logger of a process. Components take `log.child({component: …})` of it. */
export function createLogger(cfg: LoggerConfig): Logger {
  const trace = cfg.trace;
  const options: LoggerOptions = {
    level: cfg.level ?? 'info',
    base: { svc: cfg.name },
    redact: { paths: [...REDACT_PATHS, ...(cfg.redact ?? [])], censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (trace) {
    options.mixin = () => {
      const traceId = trace.current();
      return traceId === undefined ? {} : { traceId };
    };
  }
  return cfg.destination ? pino(options, cfg.destination) : pino(options);
}

/** A logger that drops everything, for tests and libraries used without one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
