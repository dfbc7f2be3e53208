import { Code, INTERNAL_MESSAGE } from '@edge/errors';
import { createLogger, memoryLog } from '@edge/log';
import { testing } from '@edge/proto';

const { Echo } = testing;
import { createClient } from './client';
import { requests } from './test-echo';
import { collect, failure, startEcho, waitFor, type EchoHarness } from './test-harness';

const NOT_FOUND_TEXT = 'App key {"organization":"o","name":"a","version":"1"} not found';

describe('gRPC adapter: errors and deadlines', () => {
  const mem = memoryLog();
  let h: EchoHarness;
  beforeAll(async () => {
    h = await startEcho({ log: createLogger({ name: 'test', destination: mem.stream }) });
  });
  afterAll(() => h.close());

  it('sends an EdgeError with its code and exact text', async () => {
    const e = await failure(h.client.say({ message: NOT_FOUND_TEXT, failCode: Code.NOT_FOUND }));
    expect(e.code).toBe(Code.NOT_FOUND);
    expect(e.message).toBe(NOT_FOUND_TEXT);
  });

  it('hides unexpected errors as INTERNAL and logs their cause', async () => {
    const e = await failure(h.client.say({ message: 'crash', failCode: 1 }));
    expect(e.code).toBe(Code.INTERNAL);
    expect(e.message).toBe(INTERNAL_MESSAGE);
    expect(e.message).not.toContain('secret detail');
    const logged = mem.lines().find((l) => l.msg === 'unexpected failure');
    expect(JSON.stringify(logged)).toContain('secret detail');
  });

  it('ends a server stream with the error after the first message', async () => {
    const got: string[] = [];
    const e = await failure(
      (async () => {
        for await (const r of h.client.expand({
          message: NOT_FOUND_TEXT,
          repeatCount: 3,
          failCode: Code.NOT_FOUND,
        })) {
          got.push(r.message);
        }
      })(),
    );
    expect(got).toEqual([NOT_FOUND_TEXT]);
    expect([e.code, e.message]).toEqual([Code.NOT_FOUND, NOT_FOUND_TEXT]);
  });

  it('sends errors of client-streaming and bidi handlers', async () => {
    async function* reqs() {
      yield { message: 'ok' };
      yield { message: 'already', failCode: Code.ALREADY_EXISTS };
    }
    const e1 = await failure(h.client.collect(reqs()));
    expect([e1.code, e1.message]).toEqual([Code.ALREADY_EXISTS, 'already']);
    const e2 = await failure(collect(h.client.chat(reqs())));
    expect([e2.code, e2.message]).toEqual([Code.ALREADY_EXISTS, 'already']);
  });

  it('fails with DEADLINE_EXCEEDED and aborts the handler', async () => {
    // This call's own context (earlier calls' are finished, never aborted); the deadline
    // leaves the call time to reach its handler even on a busy machine.
    const before = h.seen.ctx.length;
    const e = await failure(h.client.say({ message: 'slow', delayMs: 2000 }, { deadline: 300 }));
    expect(e.code).toBe(Code.DEADLINE_EXCEEDED);
    await waitFor(() => h.seen.ctx.length > before);
    const ctx = h.seen.ctx[before];
    expect(ctx?.deadline).toBeInstanceOf(Date);
    await waitFor(() => ctx?.signal.aborted === true);
  });

  it('accepts an absolute deadline and a default deadline', async () => {
    const e = await failure(h.client.say({ delayMs: 2000 }, { deadline: new Date(Date.now() + 50) }));
    expect(e.code).toBe(Code.DEADLINE_EXCEEDED);
    const short = await startEcho({}, { defaultDeadlineMs: 50 });
    try {
      const e2 = await failure(collect(short.client.expand({ repeatCount: 5, delayMs: 1000 })));
      expect(e2.code).toBe(Code.DEADLINE_EXCEEDED);
    } finally {
      await short.close();
    }
  });

  it('wakes a handler blocked on a request stream when the deadline passes', async () => {
    const before = h.seen.ctx.length;
    const e = await failure(h.client.collect(requests(['a', 'b'], 1000), { deadline: 300 }));
    expect(e.code).toBe(Code.DEADLINE_EXCEEDED);
    await waitFor(() => h.seen.ctx.length > before);
    await waitFor(() => h.seen.ctx[before]?.signal.aborted === true);
  });

  it('cancels a call when its AbortSignal aborts', async () => {
    const ac = new AbortController();
    const p = h.client.say({ delayMs: 2000 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect((await failure(p)).code).toBe(Code.CANCELLED);
  });

  it('rejects calls to a server that is not there as UNAVAILABLE', async () => {
    const c = createClient(Echo, '127.0.0.1:1', { defaultDeadlineMs: 2000 });
    try {
      expect((await failure(c.say({}))).code).toBe(Code.UNAVAILABLE);
    } finally {
      c.close();
    }
  });
});
