import { create, type Message } from '@bufbuild/protobuf';
import { Code, type EdgeError } from '@edge/errors';
import { ObjectRegistry, allFiles, edgeproto } from '@edge/proto';
import { beingDeletedError, existsError, notFoundError } from './errors';
import { copyPaths, updatePaths } from './field-mask';
import { inUseError } from './in-use';
import { validateKey } from './key-validation';
import { matches } from './match';
import { findReferrers, resolveRefs } from './references';

const reg = new ObjectRegistry(allFiles);
const thrown = (fn: () => void): EdgeError => {
  try {
    fn();
  } catch (e) {
    return e as EdgeError;
  }
  throw new Error('did not throw');
};

describe('generic errors', () => {
  it('name the key type as the original', () => {
    const app = create(edgeproto.AppSchema, { key: { organization: 'o', name: 'a', version: '1' } });
    expect(notFoundError(reg.get('App'), app).message).toBe(
      'App key {"organization":"o","name":"a","version":"1"} not found',
    );
    expect(notFoundError(reg.get('App'), app).code).toBe(Code.NOT_FOUND);
    expect(existsError(reg.get('App'), app).code).toBe(Code.ALREADY_EXISTS);
    const pol = create(edgeproto.AutoScalePolicySchema, { key: { organization: 'o', name: 'p' } });
    expect(notFoundError(reg.get('AutoScalePolicy'), pol).message).toBe(
      'Policy key {"organization":"o","name":"p"} not found',
    );
    expect(beingDeletedError(reg.get('AutoScalePolicy'), pol).message).toBe(
      'Policy {"organization":"o","name":"p"} is being deleted',
    );
    const oc = create(edgeproto.OperatorCodeSchema, { code: '310-410' });
    expect(existsError(reg.get('OperatorCode'), oc).message).toBe('OperatorCode key 310-410 already exists');
  });
});

describe('key validation', () => {
  it.each([
    ['FlavorKey', { name: '' }, 'Invalid flavor name'],
    ['FlavorKey', { name: 'x1.small' }, undefined],
    ['AppKey', { organization: 'o', name: 'a', version: '' }, 'Invalid app version'],
    ['AppKey', { organization: '', name: 'a', version: '1' }, 'Invalid app organization'],
    ['CloudletKey', { organization: 'op', name: '-bad' }, 'Invalid cloudlet name'],
    [
      'ClusterInstKey',
      { clusterKey: { name: 'under_score' }, cloudletKey: { organization: 'op', name: 'c' } },
      'Invalid cluster name',
    ],
    ['PolicyKey', { organization: 'o', name: '' }, 'Policy name cannot be empty'],
    [
      'PolicyKey',
      { organization: 'o o', name: 'p' },
      'Invalid organization, name can only contain letters, digits, _ . -',
    ],
  ])('%s %j', (type, key, msg) => {
    if (msg === undefined) expect(() => validateKey(type, key)).not.toThrow();
    else {
      const e = thrown(() => validateKey(type, key));
      expect(e.message).toBe(msg);
      expect(e.code).toBe(Code.INVALID_ARGUMENT);
    }
  });
});

describe('Show filter', () => {
  const flavor = (name: string, ram: bigint): Message =>
    create(edgeproto.FlavorSchema, { key: { name }, ram, vcpus: 2n, disk: 10n, optResMap: { gpu: 'gpu:1' } });
  it('matches on the non-zero fields of the filter only', () => {
    const s = edgeproto.FlavorSchema;
    const f = flavor('x1.small', 1024n) as unknown as Record<string, unknown>;
    const filt = (init: object): Record<string, unknown> =>
      create(s, init) as unknown as Record<string, unknown>;
    expect(matches(s, filt({}), f)).toBe(true);
    expect(matches(s, filt({ key: { name: 'x1.small' } }), f)).toBe(true);
    expect(matches(s, filt({ key: { name: 'other' } }), f)).toBe(false);
    expect(matches(s, filt({ ram: 1024n, vcpus: 2n }), f)).toBe(true);
    expect(matches(s, filt({ ram: 2048n }), f)).toBe(false);
    expect(matches(s, filt({ optResMap: { gpu: 'gpu:1' } }), f)).toBe(true);
    expect(matches(s, filt({ optResMap: { gpu: 'gpu:2' } }), f)).toBe(false);
  });
});

describe('update field mask', () => {
  const s = edgeproto.AppSchema;
  it('copies the named fields by tag or by name, skips keys, refuses backend fields', () => {
    const cur = create(s, {
      key: { organization: 'o', name: 'a', version: '1' },
      imagePath: 'old',
      command: 'keep',
    });
    const upd = create(s, {
      key: { organization: 'o', name: 'a', version: '1' },
      imagePath: 'new',
      defaultFlavor: { name: 'x1' },
    });
    copyPaths(cur, upd, updatePaths(s, 'key', ['2.1', '4', 'default_flavor.name']));
    expect(cur.imagePath).toBe('new');
    expect(cur.defaultFlavor?.name).toBe('x1');
    expect(cur.command).toBe('keep');
    expect(thrown(() => updatePaths(s, 'key', [])).message).toBe('nothing specified to update');
    expect(thrown(() => updatePaths(s, 'key', ['delete_prepare'])).message).toBe(
      'specified field(s) Delete Prepare cannot be modified',
    );
    expect(thrown(() => updatePaths(s, 'key', ['999'])).message).toBe('invalid field specified: 999');
  });
});

describe('references', () => {
  const cluster = create(edgeproto.ClusterInstSchema, {
    key: { clusterKey: { name: 'c1' }, cloudletKey: { organization: 'op', name: 'cl' }, organization: 'dev' },
    flavor: { name: 'x1.small' },
    autoScalePolicy: 'scale1',
    networks: ['net1'],
  });
  it('resolves key and by-name references in the referrer scope', () => {
    const refs = resolveRefs(reg, reg.get('ClusterInst'), cluster).map((r) => r.target.keyString(r.holder));
    expect(refs).toEqual(
      expect.arrayContaining([
        'Cloudlet/{"organization":"op","name":"cl"}',
        'Flavor/{"name":"x1.small"}',
        'AutoScalePolicy/{"organization":"dev","name":"scale1"}',
        'Network/{"cloudlet_key":{"organization":"op","name":"cl"},"name":"net1"}',
      ]),
    );
  });

  it('finds referrers and words the refusal as the original', () => {
    const flavor = create(edgeproto.FlavorSchema, { key: { name: 'x1.small' } });
    const app = create(edgeproto.AppSchema, {
      key: { organization: 'o', name: 'a', version: '1' },
      defaultFlavor: { name: 'x1.small' },
    });
    const lists: Record<string, Message[]> = { ClusterInst: [cluster], App: [app] };
    const referrers = findReferrers(reg, reg.get('Flavor'), flavor, (t) => lists[t.name] ?? []);
    expect(referrers.map((r) => r.type.name).sort()).toEqual(['App', 'ClusterInst']);
    expect(inUseError('Flavor', referrers)?.message).toBe(
      'Flavor in use by ClusterInst {"cluster_key":{"name":"c1"},"cloudlet_key":{"organization":"op","name":"cl"},"organization":"dev"}',
    );
    const cloudlet = create(edgeproto.CloudletSchema, { key: { organization: 'op', name: 'cl' } });
    const byCluster = findReferrers(reg, reg.get('Cloudlet'), cloudlet, (t) => lists[t.name] ?? []);
    expect(inUseError('Cloudlet', byCluster)?.message).toBe(
      'Cloudlet in use by ClusterInst name c1 Organization dev',
    );
    const pools = ['p1', 'p2'].map((name) =>
      create(edgeproto.CloudletPoolSchema, {
        key: { organization: 'op', name },
        cloudlets: [{ organization: 'op', name: 'cl' }],
      }),
    );
    const byPools = findReferrers(reg, reg.get('Cloudlet'), cloudlet, (t) =>
      t.name === 'CloudletPool' ? pools : [],
    );
    expect(inUseError('Cloudlet', byPools)?.message).toBe(
      'Cloudlet in use by CloudletPool {"organization":"op","name":"p1"}, {"organization":"op","name":"p2"}',
    );
    expect(inUseError('Flavor', [])).toBeUndefined();
  });
});
