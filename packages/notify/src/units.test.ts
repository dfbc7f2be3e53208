import { create, fromBinary } from '@bufbuild/protobuf';
import { edgeproto, notify } from '@edge/proto';
import { Backoff } from './backoff';
import type { Change } from './contract';
import { Convergence } from './convergence';
import { PendingSends } from './pending-sends';
import { Semaphore } from './semaphore';
import { T, appInst, testCodec } from './testing/fixtures';
import { Action, Packer, encodeNotice, framed, objectNotice } from './wire';

const codec = testCodec();
const obj = create(edgeproto.FlavorSchema);
const change = (type: string, key: string, rev: number, deleted = false): Change =>
  deleted ? { type, key, rev } : { type, key, rev, obj };

describe('PendingSends', () => {
  const order: Record<string, number> = { A: 0, B: 1, C: 2 };
  it('keeps the latest change per key and orders updates by dependency, deletes in reverse', () => {
    const p = new PendingSends((t) => order[t] ?? 0);
    p.put(change('C', 'c1', 1));
    p.put(change('A', 'a1', 2));
    p.put(change('A', 'a1', 5));
    p.put(change('A', 'a1', 4)); // older than what waits: ignored
    p.put(change('B', 'b1', 3, true));
    p.put(change('C', 'c2', 6, true));
    p.put(change('A', 'a0', 3));
    expect(p.take().map((c) => `${c.obj ? 'U' : 'D'}${c.type}:${c.key}@${c.rev}`)).toEqual([
      'UA:a0@3',
      'UA:a1@5',
      'UC:c1@1',
      'DC:c2@6',
      'DB:b1@3',
    ]);
    expect(p.size).toBe(0);
  });
});

describe('Semaphore', () => {
  it('grants in order up to the limit and lets waiters give up', async () => {
    const s = new Semaphore(1);
    const stop = new AbortController();
    const r1 = await s.acquire(stop.signal);
    const giveUp = new AbortController();
    const p2 = s.acquire(giveUp.signal);
    const p3 = s.acquire(stop.signal);
    expect(s.waiting).toBe(2);
    giveUp.abort(new Error('gone'));
    await expect(p2).rejects.toThrow('gone');
    r1();
    r1(); // twice is harmless
    const r3 = await p3;
    expect(s.inUse).toBe(1);
    r3();
    expect(s.inUse).toBe(0);
  });
});

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, jittered into the upper half', () => {
    const low = new Backoff({ initialMs: 250, maxMs: 10_000, random: () => 0 });
    expect(Array.from({ length: 8 }, () => low.next())).toEqual([
      125, 250, 500, 1000, 2000, 4000, 5000, 5000,
    ]);
    const high = new Backoff({ initialMs: 250, maxMs: 10_000, random: () => 0.999999 });
    expect(high.next()).toBe(250);
    low.reset();
    expect(low.next()).toBe(125);
  });
});

describe('Convergence', () => {
  it('measures commit to the last ack', () => {
    const c = new Convergence();
    c.published(1, 1000);
    c.published(2, 1010);
    c.settle(1, 1050);
    c.settle(2, 1100);
    c.published(3, 1200);
    c.settle(undefined, 1300); // no synced child: dropped
    expect(c.summary()).toEqual({ count: 2, p50Ms: 90, p99Ms: 90, maxMs: 90 });
  });
});

describe('registryCodec', () => {
  it('builds the key-only message a DELETE carries', () => {
    const full = appInst('a', 'c1') as edgeproto.AppInst;
    full.state = 5;
    const k = codec.keyJson(T.AppInst, full);
    const only = codec.keyOnly(T.AppInst, k) as edgeproto.AppInst;
    expect(codec.keyJson(T.AppInst, only)).toBe(k);
    expect(only.state).toBe(0);
  });
});

describe('framed', () => {
  const packer = new Packer(codec.registry);
  const notices = Array.from({ length: 1100 }, (_, i) =>
    packer.notice({ obj: appInst(`a${i}`, 'c1'), rev: i + 1 }, () => obj),
  );

  it('sends one message per notice before protocol 3', () => {
    const out = [...framed(notices.slice(0, 3), 2)];
    expect(out.map((f) => f.count)).toEqual([1, 1, 1]);
    expect(out[0]?.bytes).toBe(notices[0]);
  });

  it('batches in order from protocol 3: the bytes of a Notice whose batch holds them', () => {
    const out = [...framed(notices, 3)];
    expect(out.map((f) => f.count)).toEqual([512, 512, 76]);
    const decoded = out.flatMap((f) => fromBinary(notify.NoticeSchema, f.bytes).batch);
    expect(decoded).toEqual(notices.map((n) => fromBinary(notify.NoticeSchema, n)));
    expect(decoded[5]?.modRev).toBe(6n);
  });

  it('writes exactly what the codec writes for an UPDATE and a key-only DELETE', () => {
    const a = appInst('exact', 'c1');
    const upd = packer.notice({ obj: a, rev: 300 }, () => obj);
    expect(Buffer.from(upd)).toEqual(
      Buffer.from(encodeNotice(objectNotice(Action.UPDATE, packer.pack(a), 300))),
    );
    const key = codec.keyOnly(T.AppInst, '{"app_key":{"name":"x"}}');
    const del = packer.notice({ rev: 0 }, () => key);
    expect(Buffer.from(del)).toEqual(
      Buffer.from(encodeNotice(objectNotice(Action.DELETE, packer.pack(key), 0))),
    );
  });

  it('encodes a change once however often it is sent', () => {
    const change = { obj: appInst('x', 'c1'), rev: 7 };
    expect(packer.notice(change, () => obj)).toBe(packer.notice(change, () => obj));
  });
});
