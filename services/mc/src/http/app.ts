import express, { type NextFunction, type Request, type Response } from 'express';
import { EdgeError, invalidArgument } from '@edge/errors';
import { TRACE_HEADER, newTraceId, type Logger, type TraceContext } from '@edge/log';
import type { Authenticator, Caller } from '../auth/caller';
import { errorReply } from './errors';
import { Fields } from './fields';
import type { AuditTags, AuthHandler, Handler, McRoutes, RequestCtx } from './routes';

/** One finished request, for the audit log. */
export interface AuditEntry {
  /** Request path, e.g. `/api/v1/auth/ctrl/CreateApp`. */
  readonly name: string;
  readonly caller: Caller | undefined;
  readonly status: number;
  readonly durationMs: number;
  readonly ip: string;
  readonly traceId: string;
  readonly body: unknown;
  readonly error: string;
  readonly tags: AuditTags;
}

/** Hooks of the HTTP layer; each is optional so areas can be wired one by one. */
export interface HttpAppDeps {
  readonly log: Logger;
  readonly trace: TraceContext;
  readonly authenticator: Authenticator;
  /** Called once per finished API request (after the reply). */
  readonly audit?: (entry: AuditEntry) => void;
  /** Throws (429) when the caller or IP is over its rate for `path`. */
  readonly rateLimit?: (path: string, ip: string, caller: Caller | undefined) => void;
  /** Registers every area's routes. */
  readonly register: (routes: McRoutes) => void;
  /** Adds non-POST handlers (e.g. websocket upgrades are on the server, not here). */
  readonly extra?: (app: express.Express) => void;
}

const API = '/api/v1';

/**
 * The MC's express application: `GET /` health, `POST /api/v1/<public route>` and
 * `POST /api/v1/auth/<route>` with the token checked first. Middleware order as the
 * original: audit (wraps everything) → token → rate limit → handler; errors become
 * `{"message": "..."}` with the original statuses.
 */
export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.get('/', (_req, res) => {
    res.json({ message: 'OK' });
  });
  app.use(express.json({ limit: '10mb', strict: false }));

  const run = (path: string, handler: Handler | AuthHandler, needsAuth: boolean) => {
    return (req: Request, res: Response): void => {
      const started = process.hrtime.bigint();
      const traceId = req.get(TRACE_HEADER) || newTraceId();
      res.setHeader(TRACE_HEADER, traceId);
      const ip = req.ip ?? req.socket.remoteAddress ?? '';
      const audit: AuditTags = {};
      let caller: Caller | undefined;
      let error = '';
      const log = deps.log.child({ traceId, route: path });
      const finish = (status: number): void => {
        const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
        deps.audit?.({
          name: req.path,
          caller,
          status,
          durationMs,
          ip,
          traceId,
          body: req.body,
          error,
          tags: audit,
        });
      };
      void deps.trace.run(traceId, async () => {
        try {
          if (needsAuth) {
            caller = await deps.authenticator.authenticate({
              authorization: req.get('authorization'),
              cookie: req.get('cookie'),
            });
          }
          deps.rateLimit?.(req.path, ip, caller);
          const body: unknown = req.body ?? {};
          const ctx: RequestCtx = { req, res, log, traceId, body, fields: new Fields(body), ip, audit };
          const out = await (handler as AuthHandler)(caller ? { ...ctx, caller } : (ctx as never));
          if (!res.headersSent) res.json(out ?? {});
          else if (!res.writableEnded) res.end();
          finish(res.statusCode);
        } catch (err) {
          const e = EdgeError.from(err);
          if (e.cause !== undefined) log.warn({ err: e.cause }, e.message);
          const reply = errorReply(e);
          error = reply.body.message;
          if (!res.headersSent) res.status(reply.status).json(reply.body);
          else if (!res.writableEnded)
            res.end(JSON.stringify({ result: { ...reply.body, code: reply.status } }) + '\n');
          finish(reply.status);
        }
      });
    };
  };

  const routes: McRoutes = {
    public: (path, handler) => app.post(`${API}/${path}`, run(path, handler, false)),
    auth: (path, handler) => app.post(`${API}/auth/${path}`, run(path, handler, true)),
  };
  deps.register(routes);
  deps.extra?.(app);

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ message: 'Not Found' });
  });
  // Body parser failures (bad JSON) and anything thrown outside the handlers.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e =
      err instanceof SyntaxError ? invalidArgument(`Invalid JSON data: ${err.message}`) : EdgeError.from(err);
    const reply = errorReply(e);
    res.status(reply.status).json(reply.body);
  });
  return app;
}
