import type { DescMethod, DescService, Message } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import { TRACE_HEADER } from '@edge/log';
import type { CallOptions } from '@edge/rpc';
import { HttpError } from '../http/errors';
import type { Regions } from '../regions/regions';

type AnyCall = (req: Message, opts?: CallOptions) => Promise<Message> | AsyncIterable<Message>;

/**
 * Calls `method` on the region's Controller with the caller's trace id, yielding every
 * reply (one for unary RPCs). Controller failures keep their exact message and become
 * plain errors (HTTP 400), as the original unwraps the gRPC status into `fmt.Errorf`.
 */
export async function* callController(
  regions: Regions,
  region: string,
  method: DescMethod,
  req: Message,
  traceId: string,
  signal?: AbortSignal,
): AsyncGenerator<Message> {
  const client = (await regions.client(region, method.parent as DescService)) as unknown as Record<
    string,
    AnyCall
  >;
  const fn = client[method.localName];
  if (!fn) throw new EdgeError(Code.UNIMPLEMENTED, `${method.name} not supported`);
  const opts: CallOptions = { metadata: { [TRACE_HEADER]: traceId }, ...(signal ? { signal } : {}) };
  try {
    if (method.methodKind === 'unary') {
      yield await (fn.call(client, req, opts) as Promise<Message>);
      return;
    }
    for await (const m of fn.call(client, req, opts) as AsyncIterable<Message>) yield m;
  } catch (err) {
    throw controllerError(err);
  }
}

/** A Controller's gRPC failure as the MC answers it: the status message, HTTP 400. */
export function controllerError(err: unknown): EdgeError {
  const e = EdgeError.from(err);
  if (e instanceof HttpError) return e;
  return new HttpError(400, e.code, e.message);
}
