import { create } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import { notify } from '@edge/proto';
import { createClient } from '@edge/rpc';
import type { Change, ReplicaSink } from './contract';
import { T, flavor, testSource, waitFor, within } from './testing/fixtures';
import { Harness } from './testing/harness';
import type { MemorySource } from './testing/memory-source';

const h = new Harness();
const { codec } = h;
afterEach(() => h.cleanup());

/** A middle node's cache: what it receives from its parent becomes its own source. */
function relay(into: MemorySource): ReplicaSink {
  return {
    apply: (c: Change) => void into.commit([c.obj ? { obj: c.obj } : { type: c.type, key: c.key }]),
    prune: (types, keep) => {
      for (const c of into.snapshot(new Set(types)).objects) if (!keep.has(c.key)) into.delete(c.type, c.key);
    },
  };
}

describe('notify: tree', () => {
  it('a node is a child of its parent and a parent of its own children, independently', async () => {
    const top = testSource(codec);
    top.put(flavor('f1'));
    const controller = await h.parent(top);
    const middle = testSource(codec);
    // The CRM relays into its own source, which it serves to its Shepherd.
    const crmClient = h.child(controller.address, { name: 'crm', wants: [T.Flavor], sink: relay(middle) });
    const crmParent = await h.parent(middle);
    const shepherd = h.child(crmParent.address, { name: 'shepherd', wants: [T.Flavor] });
    await within(shepherd.client.waitSynced(), 5000, 'shepherd sync');
    await within(crmClient.client.waitSynced(), 5000, 'crm sync');
    await waitFor(() => shepherd.sink.keys(T.Flavor).length === 1, 5000, 'f1 at the bottom');

    top.put(flavor('f2'));
    await waitFor(() => shepherd.sink.keys(T.Flavor).length === 2, 5000, 'f2 at the bottom');
    expect(crmParent.server.children()[0]?.connection.name).toBe('shepherd');
  });

  it('refuses a stream that does not start with VERSION', async () => {
    const p = await h.parent(testSource(codec));
    const rpc = createClient(notify.NotifyApi, p.address);
    async function* reqs() {
      yield create(notify.NoticeSchema, { action: notify.NoticeAction.ACK });
      await new Promise((r) => setTimeout(r, 1000));
    }
    try {
      const err = await (async () => {
        try {
          for await (const _ of rpc.streamNotice(reqs())) void _;
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(EdgeError);
      expect(err).toMatchObject({
        code: Code.INVALID_ARGUMENT,
        message: 'Notify server expected action version',
      });
    } finally {
      rpc.close();
    }
  });
});
