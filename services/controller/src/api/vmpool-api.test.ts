import { Code } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import type { Client } from '@edge/rpc';
import { startController, type ControllerHarness } from '../testing/harness';
import { refusal, seed, stored, type Fixture } from '../testing/seed';

const S = edgeproto.VMPoolSchema;
const key = { organization: 'op', name: 'pool' };
const pool = (k: Record<string, unknown> = key): Fixture => ['VMPool', S, { key: k }];
const vm = (name: string, internalIp: string, externalIp = '') => ({
  name,
  netInfo: { internalIp, externalIp },
});

describe('Add/RemoveVMPoolMember', () => {
  let h: ControllerHarness;
  let api: Client<typeof edgeproto.VMPoolApi>;
  const vms = () => stored<edgeproto.VMPool>(h, 'VMPool', S, { key })?.vms.map((v) => v.name);
  beforeAll(async () => {
    h = await startController();
    api = h.client(edgeproto.VMPoolApi);
    await seed(h, ['VMPool', S, { key, vms: [vm('vm1', '10.0.0.1', '1.1.1.1')] }]);
  });
  afterAll(() => h.close());

  it('adds a VM and marks the pool READY', async () => {
    await api.addVMPoolMember({ key, vm: vm('vm2', '10.0.0.2') });
    expect(vms()).toEqual(['vm1', 'vm2']);
    expect(stored<edgeproto.VMPool>(h, 'VMPool', S, { key })?.state).toBe(edgeproto.TrackedState.READY);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, Code, string]>([
    [
      'same name',
      key,
      vm('vm1', '10.0.0.9'),
      Code.ALREADY_EXISTS,
      'VM with same name already exists as part of VM pool',
    ],
    [
      'same external IP',
      key,
      vm('vm3', '10.0.0.9', '1.1.1.1'),
      Code.ALREADY_EXISTS,
      'VM with same external IP already exists as part of VM pool',
    ],
    [
      'same internal IP',
      key,
      vm('vm3', '10.0.0.1'),
      Code.ALREADY_EXISTS,
      'VM with same internal IP already exists as part of VM pool',
    ],
    ['no VM name', key, vm('', '10.0.0.9'), Code.INVALID_ARGUMENT, 'Missing VM name'],
    ['bad VM name', key, vm('-vm', '10.0.0.9'), Code.INVALID_ARGUMENT, 'Invalid VM name'],
    ['no internal IP', key, vm('vm3', ''), Code.INVALID_ARGUMENT, 'Missing internal IP for VM: vm3'],
    ['bad internal IP', key, vm('vm3', '10.0.0'), Code.INVALID_ARGUMENT, 'Invalid Address: 10.0.0'],
    [
      'bad external IP',
      key,
      vm('vm3', '10.0.0.9', '0.0.0.0'),
      Code.INVALID_ARGUMENT,
      'Invalid Address: 0.0.0.0',
    ],
    // the original names the (empty) external address here
    ['loopback internal IP', key, vm('vm3', '127.0.0.1'), Code.INVALID_ARGUMENT, 'Invalid Address: '],
    [
      'bad org',
      { organization: '', name: 'pool' },
      vm('vm3', '10.0.0.9'),
      Code.INVALID_ARGUMENT,
      'Invalid organization name',
    ],
    [
      'bad pool name',
      { organization: 'op', name: '' },
      vm('vm3', '10.0.0.9'),
      Code.INVALID_ARGUMENT,
      'Invalid VM pool name',
    ],
    [
      'missing pool',
      { organization: 'op', name: 'nope' },
      vm('vm3', '10.0.0.9'),
      Code.NOT_FOUND,
      'VMPool key {"organization":"op","name":"nope"} not found',
    ],
  ])('refuses adding with %s', async (_what, k, v, code, message) => {
    const err = await refusal(h, pool(k), () => api.addVMPoolMember({ key: k, vm: v }));
    expect([err.code, err.message]).toEqual([code, message]);
    expect(vms()).toEqual(['vm1', 'vm2']);
  });

  it('removes a VM by name; an absent one changes nothing', async () => {
    await api.removeVMPoolMember({ key, vm: { name: 'vm9' } });
    expect(vms()).toEqual(['vm1', 'vm2']);
    await api.removeVMPoolMember({ key, vm: { name: 'vm1' } });
    expect(vms()).toEqual(['vm2']);
  });

  it.each<[string, Record<string, unknown>, string, Code, string]>([
    ['no VM name', key, '', Code.INVALID_ARGUMENT, 'Missing VM name'],
    ['bad pool name', { organization: 'op', name: '' }, 'vm2', Code.INVALID_ARGUMENT, 'Invalid VM pool name'],
    [
      'missing pool',
      { organization: 'op', name: 'nope' },
      'vm2',
      Code.NOT_FOUND,
      'VMPool key {"organization":"op","name":"nope"} not found',
    ],
  ])('refuses removing with %s', async (_what, k, name, code, message) => {
    const err = await refusal(h, pool(k), () => api.removeVMPoolMember({ key: k, vm: { name } }));
    expect([err.code, err.message]).toEqual([code, message]);
  });
});
