import { Code, EdgeError, codeName } from '@edge/errors';
import type { ServerInterceptor } from './interceptor';

/**
 * Logs one structured line per call: `{rpc, protocol, code, durationMs}` with the trace id
 * (bound to `ctx.log`). Server faults log at `error`, caller-caused codes at `info`.
 */
export function loggingInterceptor(): ServerInterceptor {
  return async (ctx, next) => {
    const start = performance.now();
    let code = Code.OK;
    try {
      await next();
    } catch (err) {
      code = err instanceof EdgeError ? err.code : Code.INTERNAL;
      throw err;
    } finally {
      const line = {
        protocol: ctx.protocol,
        code: codeName(code),
        durationMs: Math.round((performance.now() - start) * 1000) / 1000,
      };
      if (SERVER_FAULTS.has(code)) ctx.log.error(line, 'rpc');
      else ctx.log.info(line, 'rpc');
    }
  };
}

const SERVER_FAULTS = new Set([Code.UNKNOWN, Code.INTERNAL, Code.DATA_LOSS, Code.UNIMPLEMENTED]);
