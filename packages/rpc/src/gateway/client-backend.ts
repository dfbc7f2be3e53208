import type { DescService } from '@bufbuild/protobuf';
import { TRACE_HEADER } from '@edge/log';
import type { CallOptions, Client } from '../client-types';
import type { HandlerContext } from '../context';
import type { ServiceImpl } from '../service-types';

/**
 * Handlers that forward each call to a remote server through `client`, carrying the trace
 * id, the headers named in `forward`, the caller's deadline and its cancellation. Lets the
 * gateway front a service that runs in another process.
 */
export function implFromClient<S extends DescService>(
  service: S,
  client: Client<S>,
  forward: readonly string[],
): ServiceImpl<S> {
  const options = (ctx: HandlerContext): CallOptions => {
    const metadata: Record<string, string> = { [TRACE_HEADER]: ctx.traceId };
    for (const name of forward) {
      const v = ctx.requestHeader.get(name);
      if (v !== null) metadata[name] = v;
    }
    return { metadata, signal: ctx.signal, ...(ctx.deadline ? { deadline: ctx.deadline } : {}) };
  };
  const impl: Record<string, unknown> = {};
  const fns = client as unknown as Record<string, (input: unknown, o: CallOptions) => unknown>;
  for (const method of service.methods) {
    const fn = fns[method.localName];
    if (fn === undefined) continue;
    impl[method.localName] = (input: unknown, ctx: HandlerContext) => fn(input, options(ctx));
  }
  return impl as ServiceImpl<S>;
}
