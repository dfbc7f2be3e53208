// Test fixture: an implementation of edge.testing.Echo used by this package's tests.
import { type Code, EdgeError } from '@edge/errors';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { type testing } from '@edge/proto';

type EchoRequest = testing.EchoRequest;

import { peerCommonName, type HandlerContext } from './context';
import type { ServiceImpl } from './service-types';

/** What a handler saw, for assertions. */
export interface Seen {
  ctx: HandlerContext[];
  /** Set when a streaming handler's generator was closed (finally ran). */
  closed: string[];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function failIfAsked(req: EchoRequest): void {
  if (req.failCode === 0) return;
  if (req.message === 'crash') throw new Error('secret detail');
  throw new EdgeError(req.failCode as Code, req.message);
}

function reply(req: EchoRequest, ctx: HandlerContext, sequenceNumber = 0) {
  return {
    message: req.message,
    sequenceNumber,
    volume: req.volume,
    peerIdentity: peerCommonName(ctx) ?? '',
    traceId: ctx.traceId,
  };
}

/** Echo handlers; `seen` records contexts and closed streams. */
export function echoImpl(seen: Seen = { ctx: [], closed: [] }): ServiceImpl<typeof testing.Echo> {
  return {
    async say(req, ctx) {
      seen.ctx.push(ctx);
      const echo = ctx.requestHeader.get('x-echo');
      if (echo !== null) {
        ctx.responseHeader.set('x-echo-header', echo);
        ctx.responseTrailer.set('x-echo-trailer', echo);
      }
      if (req.delayMs > 0) await sleep(req.delayMs, ctx.signal);
      ctx.log.info({ got: req.message }, 'say');
      failIfAsked(req);
      return reply(req, ctx);
    },
    async *expand(req, ctx) {
      seen.ctx.push(ctx);
      try {
        for (let i = 0; i < req.repeatCount; i++) {
          if (i === 1) failIfAsked(req);
          if (req.delayMs > 0) await sleep(req.delayMs, ctx.signal);
          yield reply(req, ctx, i);
        }
      } finally {
        seen.closed.push('expand');
      }
    },
    async collect(reqs, ctx) {
      seen.ctx.push(ctx);
      const parts: string[] = [];
      for await (const r of reqs) {
        failIfAsked(r);
        parts.push(r.message);
      }
      return { message: parts.join(' '), sequenceNumber: parts.length };
    },
    async *chat(reqs, ctx) {
      seen.ctx.push(ctx);
      let i = 0;
      try {
        for await (const r of reqs) {
          failIfAsked(r);
          yield reply(r, ctx, i++);
        }
      } finally {
        seen.closed.push('chat');
      }
    },
  };
}

/** Async iterable of requests, optionally pausing between them. */
export async function* requests(
  messages: string[],
  gapMs = 0,
): AsyncGenerator<MessageInitShape<typeof testing.EchoRequestSchema>> {
  for (const message of messages) {
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    yield { message };
  }
}
