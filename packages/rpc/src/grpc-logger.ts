import { format } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '@edge/log';

/**
 * Sends grpc-js's own diagnostics to `log` (as `component: grpc-js`) instead of stderr.
 * grpc-js keeps one process-wide logger, so `main` calls this once; nothing does at import.
 * `verbosity` defaults to errors only, matching grpc-js's default.
 */
export function routeGrpcLogs(log: Logger, verbosity: grpc.logVerbosity = grpc.logVerbosity.ERROR): void {
  const child = log.child({ component: 'grpc-js' });
  grpc.setLogger({
    error: (...args: unknown[]) => child.error(format(...args)),
    info: (...args: unknown[]) => child.info(format(...args)),
    debug: (...args: unknown[]) => child.debug(format(...args)),
  });
  grpc.setLogVerbosity(verbosity);
}
