import * as grpc from '@grpc/grpc-js';
import { TRACE_HEADER, type TraceContext } from '@edge/log';
import { metadataFromHeaders } from './metadata';

type HeaderSource = Headers | Record<string, string> | (() => Headers | Record<string, string> | undefined);

/**
 * Adds metadata to every call, e.g. an API key. A function source is read per call, so
 * rotating tokens need no new client. Values already set on the call are kept.
 */
export function metadataInterceptor(source: HeaderSource): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        const extra = metadataFromHeaders(typeof source === 'function' ? source() : source);
        for (const key of Object.keys(extra.getMap())) {
          if (metadata.get(key).length > 0) continue;
          for (const value of extra.get(key)) metadata.add(key, value);
        }
        next(metadata, listener);
      },
    });
}

/**
 * Sends the current trace id (of the request being served) as `x-trace-id`, so the callee
 * logs under the same id. Calls made outside any traced request carry none and the callee
 * makes a new one.
 */
export function traceInterceptor(trace: TraceContext): grpc.Interceptor {
  return (options, nextCall) => {
    // Read when the call is made: interceptor callbacks may run outside the caller's context.
    const traceId = trace.current();
    return metadataInterceptor(traceId === undefined ? {} : { [TRACE_HEADER]: traceId })(options, nextCall);
  };
}
