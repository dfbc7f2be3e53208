import { create, createRegistry } from '@bufbuild/protobuf';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allFiles, edgeproto } from '@edge/proto';
import { CrmCache } from './crm-cache';
import { readStateFile, writeStateFile } from './state-file';

const FLAVOR = 'edgeproto.Flavor';
const flavor = (name: string) => create(edgeproto.FlavorSchema, { key: { name }, ram: 1024n });
const key = (name: string) => JSON.stringify({ name });
const registry = createRegistry(...allFiles);

describe('CrmCache', () => {
  it('relays what it receives, with its own revisions, a change log and prune', () => {
    const cache = new CrmCache({ order: () => 0 });
    const seen: string[] = [];
    cache.subscribe((changes, rev) =>
      seen.push(...changes.map((c) => `${rev}:${c.key}:${c.obj ? 'u' : 'd'}`)),
    );
    cache.apply({ type: FLAVOR, key: key('a'), rev: 77, obj: flavor('a') });
    cache.apply({ type: FLAVOR, key: key('b'), rev: 78, obj: flavor('b') });
    cache.apply({ type: FLAVOR, key: key('zz'), rev: 79 }); // delete of something unknown: nothing
    cache.prune(new Set([FLAVOR]), new Set([key('b')]));
    expect(seen).toEqual([`1:${key('a')}:u`, `2:${key('b')}:u`, `3:${key('a')}:d`]);
    expect(cache.keys(FLAVOR)).toEqual([key('b')]);
    expect(cache.since(1, new Set([FLAVOR]))?.map((c) => c.rev)).toEqual([2, 3]);
    expect(cache.since(4, new Set([FLAVOR]))).toBeUndefined(); // ahead of us: resync
  });

  it('a restarted cache starts a new epoch: children of the previous run always resync', () => {
    const before = new CrmCache({ order: () => 0 });
    before.apply({ type: FLAVOR, key: key('a'), rev: 1, obj: flavor('a') });
    before.apply({ type: FLAVOR, key: key('b'), rev: 2, obj: flavor('b') });
    const after = new CrmCache({ order: () => 0, restore: before.dump() });
    expect(after.revision()).toBe(2 ** 32);
    expect(after.keys(FLAVOR).sort()).toEqual([key('a'), key('b')]);
    // A Shepherd that saw revision 2 (or even 5, lost by the previous run) must resync.
    for (const from of [2, 5]) expect(after.since(from, new Set([FLAVOR]))).toBeUndefined();
    expect(after.since(2 ** 32, new Set([FLAVOR]))).toEqual([]);
    after.apply({ type: FLAVOR, key: key('c'), rev: 3, obj: flavor('c') });
    expect(after.revision()).toBe(2 ** 32 + 1);
  });
});

describe('state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crm-state-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips objects and the resume revision, for its own cloudlet only', async () => {
    const file = join(dir, 'sub', 'state.json');
    const cache = new CrmCache({ order: () => 0 });
    cache.apply({ type: FLAVOR, key: key('a'), rev: 1, obj: flavor('a') });
    await writeStateFile(file, { cloudlet: 'c1', notifyRevision: 42, cache: cache.dump() }, registry);
    const back = await readStateFile(file, 'c1', registry);
    expect(back?.notifyRevision).toBe(42);
    expect(back?.cache.revision).toBe(1);
    expect(back?.cache.objects.map((o) => [o.type, o.key, (o.obj as edgeproto.Flavor).ram])).toEqual([
      [FLAVOR, key('a'), 1024n],
    ]);
    expect(await readStateFile(file, 'c2', registry)).toBeUndefined();
    expect(await readStateFile(join(dir, 'none.json'), 'c1', registry)).toBeUndefined();
    await writeFile(file, JSON.stringify({ version: 99, cloudlet: 'c1' }));
    expect(await readStateFile(file, 'c1', registry)).toBeUndefined();
  });
});
