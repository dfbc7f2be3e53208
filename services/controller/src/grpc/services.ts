import type { DescMethod, DescService, Message } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import type { ObjectRegistry } from '@edge/proto';
import type { AnyImpl, HandlerContext } from '@edge/rpc';
import type { ObjectApi } from '../crud/object-api';

/** A hand-written handler for one RPC, in the shape @edge/rpc expects for its method kind. */
export type RpcHandler = AnyImpl;

/** What the service builder needs: the generic API per object and overrides by RPC name. */
export interface ServiceDeps {
  reg: ObjectRegistry;
  apis: ReadonlyMap<string, ObjectApi>;
  handlers: Readonly<Record<string, RpcHandler>>;
}

const VERBS = ['Create', 'Update', 'Delete', 'Show'] as const;
type Verb = (typeof VERBS)[number];

/** A server-streaming handler that runs `fn` and sends nothing. */
function silentStream(fn: (req: Message) => Promise<void>): RpcHandler {
  return async function* (req: Message) {
    await fn(req);
    yield* [];
  };
}

function unimplemented(m: DescMethod): RpcHandler {
  const fail = (): never => {
    throw new EdgeError(Code.UNIMPLEMENTED, `${m.name} is not implemented yet`);
  };
  return m.methodKind === 'server_streaming' || m.methodKind === 'bidi_streaming'
    ? silentStream(async () => fail())
    : async () => fail();
}

/** The generic handler of `<Verb><Object>` for a method, or undefined when the name doesn't fit. */
function generic(m: DescMethod, api: ObjectApi | undefined): RpcHandler | undefined {
  if (!api) return undefined;
  const verb = VERBS.find((v) => m.name === `${v}${api.type.name}`) as Verb | undefined;
  if (!verb) return undefined;
  const streaming = m.methodKind === 'server_streaming';
  if (verb === 'Show') {
    return async function* (req: Message) {
      yield* api.show(req);
    };
  }
  const run = async (req: Message): Promise<void> => {
    if (verb === 'Create') await api.create(req);
    else if (verb === 'Update') await api.update(req);
    else await api.delete(req);
  };
  return streaming
    ? silentStream(run)
    : async (req: Message) => {
        await run(req);
        return {};
      };
}

/**
 * One implementation per edgeproto service, by reflection over the schema: an
 * override from `handlers` when there is one, else the generic Create/Update/Delete/
 * Show of the service's object, else UNIMPLEMENTED naming the RPC.
 */
export function buildServices(
  deps: ServiceDeps,
): { service: DescService; impl: Record<string, RpcHandler> }[] {
  return deps.reg.services.map((service) => {
    const impl: Record<string, RpcHandler> = {};
    for (const m of service.methods) {
      const object = deps.reg.rpc(m.name)?.object;
      impl[m.localName] =
        deps.handlers[m.name] ??
        generic(m, object ? deps.apis.get(object.name) : undefined) ??
        unimplemented(m);
    }
    return { service, impl };
  });
}

export type { HandlerContext };
