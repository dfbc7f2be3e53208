import type { Request, Response } from 'express';
import type { Logger } from '@edge/log';
import type { Caller } from '../auth/caller';
import type { Fields } from './fields';

/** What the audit record of a request should carry beyond what the HTTP layer knows. */
export interface AuditTags {
  org?: string;
  region?: string;
  /** Extra searchable tags, e.g. the object key. */
  [tag: string]: string | undefined;
}

/** One request as a handler sees it. */
export interface RequestCtx {
  readonly req: Request;
  /** Write to it directly only to stream (then return undefined). */
  readonly res: Response;
  readonly log: Logger;
  readonly traceId: string;
  /** The raw JSON body. */
  readonly body: unknown;
  /** The same body, read case-insensitively. */
  readonly fields: Fields;
  /** Remote IP address of the client. */
  readonly ip: string;
  /** Fill in the org/region/tags the audit record of this call should carry. */
  readonly audit: AuditTags;
}

/** A request to `/api/v1/auth/...`: the caller is known. */
export interface AuthRequestCtx extends RequestCtx {
  readonly caller: Caller;
}

/**
 * A route handler: the resolved value is sent as the JSON body with status 200; a handler
 * that streamed its answer itself resolves undefined. Throw an EdgeError (or HttpError)
 * for an error reply.
 */
export type Handler = (ctx: RequestCtx) => Promise<unknown>;
export type AuthHandler = (ctx: AuthRequestCtx) => Promise<unknown>;

/** Where each area of the MC registers its routes (every API is a POST with a JSON body). */
export interface McRoutes {
  /** `POST /api/v1/<path>`, no token needed (login, usercreate, …). */
  public(path: string, handler: Handler): void;
  /** `POST /api/v1/auth/<path>`, the caller's token required. */
  auth(path: string, handler: AuthHandler): void;
}

/** `{"message": "..."}`: the body of simple successful mutations (ormapi.Result). */
export const result = (message: string): { message: string } => ({ message });
