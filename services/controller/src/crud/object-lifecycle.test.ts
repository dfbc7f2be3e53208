import { create, type DescMethod, type DescService, type Message } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { collect, startController, type ControllerHarness } from '../testing/harness';

type Call = (req: unknown) => Promise<unknown> | AsyncIterable<unknown>;

/** Calls an RPC by name through a real gRPC client, draining server streams. */
async function call(h: ControllerHarness, name: string, req: Message): Promise<Message[]> {
  const service = h.reg.services.find((s) => s.methods.some((m) => m.name === name)) as DescService;
  const method = service.methods.find((m) => m.name === name) as DescMethod;
  const fn = (h.client(service) as unknown as Record<string, Call>)[method.localName] as Call;
  const out = fn(req);
  return method.methodKind === 'server_streaming'
    ? ((await collect(out as AsyncIterable<unknown>)) as Message[])
    : [(await out) as Message];
}

/**
 * Every object without a CRM behind it, through the API: create, show, update by field
 * mask, show again, delete, show nothing. (Cloudlet, ClusterInst and AppInst go through
 * the TrackedState machine and have their own tests.)
 */
describe('object lifecycle through the API', () => {
  let h: ControllerHarness;
  const op = { organization: 'op', name: 'c1' };
  const appKey = { organization: 'dev', name: 'app', version: '1' };
  beforeAll(async () => {
    h = await startController();
    await h.ctrl.store.apply(async (tx) => {
      tx.put(
        h.reg.get('Cloudlet'),
        create(edgeproto.CloudletSchema, { key: op, location: { latitude: 1, longitude: 1 } }),
      );
    });
    await call(
      h,
      'CreateFlavor',
      create(edgeproto.FlavorSchema, { key: { name: 'f1' }, ram: 1024n, vcpus: 1n, disk: 1n }),
    );
    await call(
      h,
      'CreateCloudletPool',
      create(edgeproto.CloudletPoolSchema, { key: { organization: 'op', name: 'pool0' } }),
    );
  });
  afterAll(() => h.close());

  it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined, string | undefined]>([
    ['OperatorCode', { code: '310-410', organization: 'op' }, undefined, undefined],
    [
      'ResTagTable',
      { key: { organization: 'op', name: 'gpus' }, tags: { pci: 't4:1' } },
      { tags: { pci: 't4:2' } },
      'tags',
    ],
    [
      'CloudletPool',
      { key: { organization: 'op', name: 'p1' }, cloudlets: [op] },
      { cloudlets: [] },
      'cloudlets',
    ],
    [
      'AutoProvPolicy',
      { key: { organization: 'dev', name: 'ap' }, deployClientCount: 2 },
      { deployClientCount: 5 },
      'deploy_client_count',
    ],
    [
      'AutoScalePolicy',
      { key: { organization: 'dev', name: 'as' }, minNodes: 1, maxNodes: 2 },
      { maxNodes: 4 },
      'max_nodes',
    ],
    [
      'AlertPolicy',
      { key: { organization: 'dev', name: 'al' }, description: 'cpu' },
      { description: 'mem' },
      'description',
    ],
    [
      'VMPool',
      { key: { organization: 'op', name: 'vms' } },
      { vms: [{ name: 'vm1', netInfo: { internalIp: '10.0.0.5' } }] },
      'vms',
    ],
    [
      'TrustPolicy',
      { key: { organization: 'op', name: 'tp' } },
      {
        outboundSecurityRules: [
          { protocol: 'tcp', portRangeMin: 443, portRangeMax: 443, remoteCidr: '0.0.0.0/0' },
        ],
      },
      'outbound_security_rules',
    ],
    [
      'Network',
      { key: { cloudletKey: op, name: 'net' } },
      { routes: [{ destinationCidr: '10.1.0.0/16', nextHopIp: '10.0.0.1' }] },
      'routes',
    ],
    [
      'App',
      {
        key: appKey,
        imageType: edgeproto.ImageType.DOCKER,
        imagePath: 'docker.io/dev/app:1',
        defaultFlavor: { name: 'f1' },
        accessPorts: 'tcp:80',
      },
      { command: 'serve' },
      'command',
    ],
  ])('%s', async (type, init, change, field) => {
    const t = h.reg.get(type);
    const obj = create(t.schema, init);
    const keyOnly = create(t.schema, { [t.keyField?.localName ?? 'key']: t.keyOf(obj) });
    const show = async (): Promise<Message[]> => call(h, `Show${type}`, keyOnly);
    await call(h, `Create${type}`, obj);
    const [shown] = await show();
    expect(shown && t.keyJson(shown)).toBe(t.keyJson(obj));
    if (change && field) {
      await call(h, `Update${type}`, create(t.schema, { ...init, ...change, fields: [field] }));
      const [updated] = await show();
      const local = Object.keys(change)[0] as string;
      expect((updated as unknown as Record<string, unknown>)[local]).toEqual(
        (create(t.schema, change) as unknown as Record<string, unknown>)[local],
      );
    }
    await call(h, `Delete${type}`, keyOnly);
    expect(await show()).toEqual([]);
  });

  it('TrustPolicyException, which names an App and a CloudletPool', async () => {
    const key = { appKey, cloudletPoolKey: { organization: 'op', name: 'pool0' }, name: 'tpe' };
    await call(
      h,
      'CreateApp',
      create(edgeproto.AppSchema, {
        key: appKey,
        imageType: edgeproto.ImageType.DOCKER,
        imagePath: 'docker.io/dev/app:1',
        defaultFlavor: { name: 'f1' },
        accessPorts: 'tcp:80',
      }),
    );
    await call(h, 'CreateTrustPolicyException', create(edgeproto.TrustPolicyExceptionSchema, { key }));
    const shown = await call(
      h,
      'ShowTrustPolicyException',
      create(edgeproto.TrustPolicyExceptionSchema, { key }),
    );
    expect(shown).toHaveLength(1);
    await call(h, 'DeleteTrustPolicyException', create(edgeproto.TrustPolicyExceptionSchema, { key }));
    await call(h, 'DeleteApp', create(edgeproto.AppSchema, { key: appKey }));
  });
});
