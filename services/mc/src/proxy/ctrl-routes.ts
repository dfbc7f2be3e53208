import type { JsonValue } from '@bufbuild/protobuf';
import type { RpcInfo } from '@edge/proto';
import type { McRoutes } from '../http/routes';
import { runProxy, type ProxyDeps } from './run-proxy';

/** RPCs the MC forwards: unary or server-streaming, with an RBAC resource (internal CRM APIs have none). */
export function proxiedRpcs(deps: Pick<ProxyDeps, 'reg'>): RpcInfo[] {
  return deps.reg
    .allRpcs()
    .filter(
      (r) =>
        r.rbacResource !== '' &&
        (r.method.methodKind === 'unary' || r.method.methodKind === 'server_streaming'),
    );
}

/**
 * `POST /api/v1/auth/ctrl/<Rpc>` for every proxied RPC. Unary RPCs answer their reply
 * as one JSON body (a `Result` for most); streaming RPCs answer JSON lines
 * `{"data":…}`, flushed as they come; an error after the first line ends the stream
 * with `{"result":{"message":…,"code":…}}` (written by the HTTP layer).
 */
export function registerCtrlRoutes(routes: McRoutes, deps: ProxyDeps): void {
  for (const rpc of proxiedRpcs(deps)) {
    const streaming = rpc.method.methodKind === 'server_streaming';
    routes.auth(`ctrl/${rpc.name}`, async (ctx) => {
      const abort = new AbortController();
      const onClose = (): void => {
        if (!ctx.res.writableFinished) abort.abort();
      };
      ctx.res.once('close', onClose);
      try {
        let single: JsonValue | undefined;
        await runProxy(
          deps,
          {
            rpc,
            caller: ctx.caller,
            fields: ctx.fields,
            traceId: ctx.traceId,
            audit: ctx.audit,
            signal: abort.signal,
          },
          (data) => {
            if (!streaming) {
              single = data;
              return;
            }
            if (!ctx.res.headersSent) ctx.res.status(200).type('application/json');
            ctx.res.write(JSON.stringify({ data }) + '\n');
          },
        );
        if (!streaming) return single ?? {};
        if (!ctx.res.headersSent) ctx.res.status(200).type('application/json');
        ctx.res.end();
        return undefined;
      } finally {
        ctx.res.off('close', onClose);
      }
    });
  }
}
