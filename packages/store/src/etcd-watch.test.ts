import { describeWithServers, uniqueName } from '@edge/testing';
import { Etcd3 } from 'etcd3';
import { silentLogger } from '@edge/log';
import { eventually } from './conformance';
import { EtcdStore } from './etcd-store';
import { EtcdWatch } from './etcd-watch';
import type { WatchEvent } from './kv-store';

describeWithServers('EtcdWatch', (servers) => {
  it('resumes after a broken stream without losing or repeating events', async () => {
    const prefix = `${uniqueName('watch')}/`;
    const client = new Etcd3({ hosts: `http://${servers.etcd}` });
    const store = new EtcdStore({ endpoints: [servers.etcd] });
    const events: WatchEvent[] = [];
    const errors: Error[] = [];
    const w = new EtcdWatch(
      client.watchClient,
      prefix,
      0,
      { onEvents: (evs) => events.push(...evs), onError: (e) => errors.push(e) },
      { initialBackoffMs: 50, maxBackoffMs: 100, giveUpAfterMs: 10_000 },
      silentLogger(),
    );
    try {
      await w.start();
      await store.put(`${prefix}1`, 'a');
      await eventually(() => events.length === 1);
      // Break the stream under the watch, write while it reconnects.
      (w as unknown as { stream: { cancel(): void } }).stream.cancel();
      await store.put(`${prefix}2`, 'b');
      await store.put(`${prefix}3`, 'c');
      await eventually(() => events.length >= 3);
      await new Promise((r) => setTimeout(r, 100));
      expect(events.map((e) => e.key)).toEqual([1, 2, 3].map((i) => `${prefix}${i}`));
      expect(errors).toEqual([]);
    } finally {
      await w.close();
      await store.deletePrefix(prefix);
      await store.close();
      client.close();
    }
  });
});
