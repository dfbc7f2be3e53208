import { createRegistry } from '@bufbuild/protobuf';
import { MemorySink, NotifyClient, registryCodec } from '@edge/notify';
import { allFiles, edgeproto } from '@edge/proto';
import { MemStore } from '@edge/store';
import { waitFor } from '@edge/testing';
import { startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';

const appKey = { organization: 'dev', name: 'app', version: '1' };
const key = {
  appKey,
  clusterInstKey: {
    clusterKey: { name: 'k1' },
    cloudletKey: { organization: 'op', name: 'c1' },
    organization: 'dev',
  },
};

describe('RequestAppInstLatency', () => {
  const kv = new MemStore();
  let a: ControllerHarness;
  let b: ControllerHarness;
  const children: NotifyClient[] = [];
  /** A notify child of `h` that asks for latency requests (as a DME does) or not (as a CRM). */
  const child = (h: ControllerHarness, asks: boolean): MemorySink => {
    const sink = new MemorySink();
    const c = new NotifyClient({
      ...registryCodec(h.reg, createRegistry(...allFiles)),
      addresses: [h.notifyAddress],
      name: asks ? 'dme' : 'crm',
      wants: ['edgeproto.AppInst'],
      ...(asks ? { messageTypes: ['edgeproto.AppInstLatency'] } : {}),
      sink,
    });
    c.start();
    children.push(c);
    return sink;
  };

  beforeAll(async () => {
    a = await startController({ kv, ownsStore: false });
    b = await startController({ kv, ownsStore: false });
    await seed(a, ['AppInst', edgeproto.AppInstSchema, { key }]);
  });
  afterAll(async () => {
    for (const c of children) await c.stop();
    await a.close();
    await b.close();
    await kv.close();
  });

  it('goes down to the DMEs of every Controller of the region, not to other children', async () => {
    const dmeA = child(a, true);
    const dmeB = child(b, true);
    const crm = child(a, false);
    for (const s of [dmeA, dmeB, crm])
      await waitFor(() => s.keys('edgeproto.AppInst').length === 1, 5000, 'child synced');
    const res = await a.client(edgeproto.AppInstLatencyApi).requestAppInstLatency({ key });
    expect(res.message).toBe('successfully sent latency request');
    for (const s of [dmeA, dmeB]) {
      await waitFor(() => s.messages.length === 1, 5000, 'latency request down');
      expect(s.messages[0]?.type).toBe('edgeproto.AppInstLatency');
      expect((s.messages[0]?.msg as edgeproto.AppInstLatency).key).toMatchObject(key);
    }
    expect(crm.messages).toEqual([]);
    // The announcement record is gone once made.
    expect((await kv.list('local/AppInstLatencyRequest/')).kvs).toEqual([]);
  });

  it('refuses an unknown AppInst and a bad key with the original texts', async () => {
    const api = a.client(edgeproto.AppInstLatencyApi);
    const missing = { ...key, appKey: { ...appKey, name: 'nope' } };
    await expect(api.requestAppInstLatency({ key: missing })).rejects.toMatchObject({
      code: 5,
      message: expect.stringContaining(
        'AppInst key {"app_key":{"organization":"dev","name":"nope","version":"1"},"cluster_inst_key":{"cluster_key":{"name":"k1"},"cloudlet_key":{"organization":"op","name":"c1"},"organization":"dev"}} not found',
      ),
    });
    await expect(
      api.requestAppInstLatency({ key: { ...key, appKey: { ...appKey, version: '' } } }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('Invalid app version') });
  });
});
