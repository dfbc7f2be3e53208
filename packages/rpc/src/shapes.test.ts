import { Code, type EdgeError } from '@edge/errors';
import { testing } from '@edge/proto';

const { Volume } = testing;
import { collect, startEcho, waitFor, type EchoHarness } from './test-harness';
import { requests } from './test-echo';

describe('gRPC adapter: every RPC shape over insecure transport', () => {
  let h: EchoHarness;
  beforeAll(async () => {
    h = await startEcho();
  });
  afterAll(() => h.close());

  it('serves unary', async () => {
    const res = await h.client.say({ message: 'hi', volume: Volume.HIGH });
    expect(res.message).toBe('hi');
    expect(res.volume).toBe(Volume.HIGH);
    expect(res.$typeName).toBe('edge.testing.EchoResponse');
  });

  it('serves server streaming', async () => {
    const res = await collect(h.client.expand({ message: 'x', repeatCount: 3 }));
    expect(res.map((r) => r.sequenceNumber)).toEqual([0, 1, 2]);
    expect(res.every((r) => r.message === 'x')).toBe(true);
  });

  it('serves client streaming', async () => {
    const res = await h.client.collect(requests(['a', 'b', 'c'], 5));
    expect(res.message).toBe('a b c');
    expect(res.sequenceNumber).toBe(3);
  });

  it('serves bidi streaming', async () => {
    const res = await collect(h.client.chat(requests(['a', 'b', 'c'], 5)));
    expect(res.map((r) => [r.message, r.sequenceNumber])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('serves an empty server stream and an empty client stream', async () => {
    expect(await collect(h.client.expand({ repeatCount: 0 }))).toEqual([]);
    expect((await h.client.collect(requests([]))).message).toBe('');
  });

  it('cancels a bidi call when the consumer stops iterating', async () => {
    async function* forever() {
      for (let i = 0; ; i++) {
        yield { message: `m${i}` };
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const closedBefore = count(h.seen.closed, 'chat');
    let got = 0;
    for await (const r of h.client.chat(forever())) {
      expect(r.message).toBe(`m${got}`);
      if (++got === 3) break;
    }
    await waitFor(() => count(h.seen.closed, 'chat') > closedBefore);
    const ctx = h.seen.ctx.at(-1);
    expect(ctx?.signal.aborted).toBe(true);
    expect((ctx?.signal.reason as EdgeError).code).toBe(Code.CANCELLED);
  });

  it('cancels a server stream when the consumer stops iterating', async () => {
    const closedBefore = count(h.seen.closed, 'expand');
    for await (const r of h.client.expand({ message: 'x', repeatCount: 1000, delayMs: 2 })) {
      if (r.sequenceNumber === 1) break;
    }
    await waitFor(() => count(h.seen.closed, 'expand') > closedBefore);
    expect(h.seen.ctx.at(-1)?.signal.aborted).toBe(true);
  });

  it('fails a client-streaming or bidi call with the error of its request iterable', async () => {
    async function* broken() {
      yield { message: 'a' };
      throw new Error('source failed');
    }
    await expect(h.client.collect(broken())).rejects.toThrow('source failed');
    await expect(collect(h.client.chat(broken()))).rejects.toThrow('source failed');
  });

  it('does not start a streaming call until iterated', async () => {
    await new Promise((r) => setTimeout(r, 50)); // let calls of earlier tests arrive
    const before = h.seen.ctx.length;
    h.client.expand({ message: 'never' });
    await new Promise((r) => setTimeout(r, 50));
    expect(h.seen.ctx.length).toBe(before);
  });
});

function count(xs: string[], x: string): number {
  return xs.filter((y) => y === x).length;
}
