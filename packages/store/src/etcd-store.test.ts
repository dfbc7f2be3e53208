import { describeWithServers } from '@edge/testing';
import { runKVStoreConformance } from './conformance';
import { EtcdStore } from './etcd-store';
import { prefixEnd } from './etcd-util';

describeWithServers('EtcdStore', (servers) => {
  runKVStoreConformance('EtcdStore', () => {
    const store = new EtcdStore({ endpoints: [servers.etcd] });
    return Promise.resolve({
      store,
      cleanup: () => store.close(),
      stopKeepAlive: (l) => store.stopKeepAlive(l.id),
    });
  });

  it('lists across pages at one revision', async () => {
    const store = new EtcdStore({ endpoints: [servers.etcd], listPageSize: 3 });
    const p = `page_${process.pid}_${Date.now()}/`;
    try {
      for (let i = 0; i < 10; i++) await store.put(`${p}${i}`, String(i));
      const res = await store.list(p);
      expect(res.kvs.map((kv) => kv.value)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    } finally {
      await store.deletePrefix(p);
      await store.close();
    }
  });
});

describe('prefixEnd', () => {
  it('increments the last byte below 0xff', () => {
    expect(prefixEnd('a/').toString()).toBe('a0');
    expect(prefixEnd('')).toEqual(Buffer.from([0]));
    expect(prefixEnd('a\u00ff')).toEqual(Buffer.from([0x61, 0xc3, 0xc0]));
  });
});
