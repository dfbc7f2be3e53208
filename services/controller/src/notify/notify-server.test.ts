import { create } from '@bufbuild/protobuf';
import { notify, edgeproto } from '@edge/proto';
import type { ChildStatus } from '@edge/notify';
import { createClient, insecureClient } from '@edge/rpc';
import { accessKeyMetadata, generateAccessKeyPair, type AccessKeyPair } from '../access';
import { startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';
import { cloudletKey, cloudletKeyJson } from './testing/fixtures';

const TS = edgeproto.TrackedState;

/**
 * Opens a notify stream with `metadata` and sends VERSION; runs `whileOpen` after the
 * parent's first notice, with the stream still open; resolves with that notice.
 */
async function hello(
  h: ControllerHarness,
  metadata: Record<string, string> = {},
  whileOpen: () => void = () => {},
): Promise<notify.Notice> {
  const rpc = createClient(notify.NotifyApi, h.notifyAddress, { credentials: insecureClient() });
  const stop = new AbortController();
  async function* requests(): AsyncGenerator<notify.Notice> {
    yield create(notify.NoticeSchema, {
      action: notify.NoticeAction.VERSION,
      version: 2,
      tags: { name: 't' },
    });
    await new Promise((resolve) => stop.signal.addEventListener('abort', resolve));
  }
  try {
    for await (const n of rpc.streamNotice(requests(), { signal: stop.signal, metadata })) {
      whileOpen();
      return n;
    }
    throw new Error('stream ended without a notice');
  } finally {
    stop.abort();
    rpc.close();
  }
}

describe('controllerNotifyServer: access key on the notify stream', () => {
  let h: ControllerHarness;
  let pair: AccessKeyPair;
  const start = async (requireNotifyAccessKey: boolean): Promise<void> => {
    h = await startController({ requireNotifyAccessKey });
    pair = generateAccessKeyPair();
    await seed(h, [
      'Cloudlet',
      edgeproto.CloudletSchema,
      { key: cloudletKey('c1'), state: TS.READY, crmAccessPublicKey: pair.publicPem },
    ]);
  };
  afterEach(() => h.close());

  it('when required, refuses a stream without a signature, with the original message', async () => {
    await start(true);
    await expect(hello(h)).rejects.toThrow('error, access-key-data not found in metadata');
    const other = generateAccessKeyPair();
    await expect(hello(h, accessKeyMetadata(other.privatePem, cloudletKey('c1')))).rejects.toThrow(
      'Failed to verify cloudlet access key signature',
    );
    await expect(hello(h, accessKeyMetadata(pair.privatePem, cloudletKey('c9')))).rejects.toThrow(
      'failed to find cloudlet [{"organization":"op","name":"c9"}] to verify access key',
    );
  });

  it("identifies a signed stream by its cloudlet's key; connection ids start at a time-based offset", async () => {
    const before = Date.now();
    await start(true);
    let children: ChildStatus[] = [];
    const reply = await hello(h, accessKeyMetadata(pair.privatePem, cloudletKey('c1')), () => {
      children = h.notify.server.children();
    });
    expect(reply).toMatchObject({ action: notify.NoticeAction.VERSION, version: 2 });
    expect(children.map((c) => c.connection.identity)).toEqual([cloudletKeyJson('c1')]);
    // ids of a restarted Controller never repeat those stamped by an earlier run
    const id = children[0]?.connection.id ?? 0;
    expect(id).toBeGreaterThanOrEqual(before * 1000);
    expect(id).toBeLessThanOrEqual(Date.now() * 1000 + 1000);
  });

  it('when optional, accepts an unsigned stream but still refuses a bad signature', async () => {
    await start(false);
    await expect(hello(h)).resolves.toMatchObject({ action: notify.NoticeAction.VERSION });
    const other = generateAccessKeyPair();
    await expect(hello(h, accessKeyMetadata(other.privatePem, cloudletKey('c1')))).rejects.toThrow(
      'Failed to verify cloudlet access key signature',
    );
  });
});
