import { fromJson, getOption, hasOption, toJson, type DescMethod, type JsonValue } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { DmeError } from './dme-error';
import { dme, googleApi } from './proto';
import type { ReplyOf, RequestOf, Transport, TransportCallOptions, UnaryMethod } from './transport';

/** Options of `createRestTransport`. */
export interface RestTransportOptions {
  /** Base URL of the DME's REST gateway, e.g. `https://dme.example.net:38001`. */
  baseUrl: string;
  /** The fetch to use; default the global one (browsers, Node 20). */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Default per-call timeout in milliseconds; default 15000. */
  timeoutMs?: number;
}

/**
 * A transport speaking the DME's REST gateway: `POST /v1/<rpc>` with snake_case JSON in and
 * out, errors from the grpc-gateway body `{code, error, message}`. No Node-only imports, so
 * it works in browsers. It cannot stream edge events (the gateway does not serve bidi).
 *
 * @example
 *   const transport = createRestTransport({ baseUrl: 'http://127.0.0.1:38001' });
 */
export function createRestTransport(options: RestTransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const defaultTimeout = options.timeoutMs ?? 15000;
  return {
    name: `rest ${base}`,
    async unary<K extends UnaryMethod>(
      name: K,
      request: RequestOf<K>,
      call?: TransportCallOptions,
    ): Promise<ReplyOf<K>> {
      const method: DescMethod = dme.MatchEngineApi.method[name];
      const body = JSON.stringify(toJson(method.input, request as never, { useProtoFieldName: true }));
      const signal = callSignal(call, defaultTimeout);
      let res: Response;
      try {
        res = await doFetch(base + restPath(method), {
          method: 'POST',
          headers: { ...options.headers, 'content-type': 'application/json', accept: 'application/json' },
          body,
          signal,
        });
      } catch (err) {
        throw fetchFailure(err, signal);
      }
      const text = await res.text().catch((err: unknown) => {
        throw fetchFailure(err, signal);
      });
      const json = parseJson(text);
      if (!res.ok) throw DmeError.fromHttp(res.status, json, res.statusText);
      if (json === undefined) {
        throw new DmeError(Code.INTERNAL, `invalid JSON reply from ${restPath(method)}`, {
          httpStatus: res.status,
        });
      }
      try {
        return fromJson(method.output, json, { ignoreUnknownFields: true }) as ReplyOf<K>;
      } catch (err) {
        throw new DmeError(Code.INTERNAL, `unreadable reply from ${restPath(method)}: ${String(err)}`, {
          httpStatus: res.status,
          cause: err,
        });
      }
    },
    close() {},
  };
}

/** The `google.api.http` post path of a method, else `/v1/<lowercased rpc name>`. */
export function restPath(method: DescMethod): string {
  if (hasOption(method, googleApi.http)) {
    const rule = getOption(method, googleApi.http);
    if (rule.pattern.case === 'post') return rule.pattern.value;
  }
  return `/v1/${method.name.toLowerCase()}`;
}

function callSignal(call: TransportCallOptions | undefined, defaultTimeout: number): AbortSignal {
  const timeout = AbortSignal.timeout(call?.timeoutMs ?? defaultTimeout);
  return call?.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
}

function fetchFailure(err: unknown, signal: AbortSignal): DmeError {
  if (signal.aborted) {
    const reason = signal.reason as { name?: unknown } | undefined;
    const timedOut = reason?.name === 'TimeoutError';
    return timedOut
      ? new DmeError(Code.DEADLINE_EXCEEDED, 'Deadline Exceeded', { httpStatus: 504, cause: err })
      : new DmeError(Code.CANCELLED, 'call cancelled', { httpStatus: 499, cause: err });
  }
  return new DmeError(
    Code.UNAVAILABLE,
    `DME unreachable: ${err instanceof Error ? err.message : String(err)}`,
    {
      httpStatus: 503,
      cause: err,
    },
  );
}

function parseJson(text: string): JsonValue | undefined {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
