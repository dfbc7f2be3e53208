// One behaviour for every SecretStore backend: the fake must pass what the real one passes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, EdgeError } from '@edge/errors';
import { FileSecretStore } from './file-secret-store';
import { MemorySecretStore } from './memory-secret-store';
import type { SecretStore } from './secret-store';

interface Backend {
  make(): Promise<SecretStore>;
  cleanup(): Promise<void>;
}

function memoryBackend(): Backend {
  return { make: () => Promise.resolve(new MemorySecretStore()), cleanup: () => Promise.resolve() };
}

function fileBackend(): Backend {
  const dirs: string[] = [];
  return {
    async make() {
      const dir = await mkdtemp(join(tmpdir(), 'secrets-conf-'));
      dirs.push(dir);
      return FileSecretStore.open({ file: join(dir, 'secrets.enc'), masterKeyFile: join(dir, 'master.key') });
    },
    async cleanup() {
      await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

async function codeOf(p: Promise<unknown>): Promise<Code> {
  try {
    await p;
  } catch (err) {
    if (err instanceof EdgeError) return err.code;
    throw err;
  }
  throw new Error('expected a failure');
}

describe.each([
  ['MemorySecretStore', memoryBackend],
  ['FileSecretStore', fileBackend],
])('%s conformance', (_name, backendOf) => {
  const backend = backendOf();
  let store: SecretStore;
  beforeEach(async () => {
    store = await backend.make();
  });
  afterAll(() => backend.cleanup());

  it('gets what was put, and undefined for what was not', async () => {
    await store.put('cloudlet/op/c1/accessvars', { OS_PASSWORD: 'hunter2', OS_USER: 'admin' });
    expect(await store.get('cloudlet/op/c1/accessvars')).toEqual({
      OS_PASSWORD: 'hunter2',
      OS_USER: 'admin',
    });
    expect(await store.get('cloudlet/op/c2/accessvars')).toBeUndefined();
    expect(await store.get('cloudlet/op/c1')).toBeUndefined();
  });

  it('replaces the whole secret on put', async () => {
    await store.put('a/b', { x: '1', y: '2' });
    await store.put('a/b', { z: '3' });
    expect(await store.get('a/b')).toEqual({ z: '3' });
  });

  it('keeps an empty secret apart from a missing one', async () => {
    await store.put('empty', {});
    expect(await store.get('empty')).toEqual({});
    expect(await store.list('')).toEqual(['empty']);
  });

  it('hands out copies: changing them changes nothing stored', async () => {
    const data = { k: 'v' };
    await store.put('p', data);
    data.k = 'changed';
    const got = await store.get('p');
    expect(got).toEqual({ k: 'v' });
    if (got) got.k = 'mutated';
    expect(await store.get('p')).toEqual({ k: 'v' });
  });

  it('deletes, and deleting a missing secret is fine', async () => {
    await store.put('a/b', { x: '1' });
    await store.delete('a/b');
    expect(await store.get('a/b')).toBeUndefined();
    await expect(store.delete('a/b')).resolves.toBeUndefined();
    await expect(store.delete('never/there')).resolves.toBeUndefined();
  });

  it('lists one level like Vault: names and sub-folders with a slash, sorted', async () => {
    await store.put('cloudlet/op/c2/accessvars', { a: '1' });
    await store.put('cloudlet/op/c1/accessvars', { a: '1' });
    await store.put('cloudlet/op/c1/other', { a: '1' });
    await store.put('cloudlet/op2/c9/accessvars', { a: '1' });
    await store.put('pki/ca', { a: '1' });
    expect(await store.list('')).toEqual(['cloudlet/', 'pki/']);
    expect(await store.list('cloudlet/')).toEqual(['op/', 'op2/']);
    expect(await store.list('cloudlet/op/')).toEqual(['c1/', 'c2/']);
    expect(await store.list('cloudlet/op/c1/')).toEqual(['accessvars', 'other']);
    expect(await store.list('nothing/here/')).toEqual([]);
    await store.delete('pki/ca');
    expect(await store.list('')).toEqual(['cloudlet/']);
  });

  it('does not confuse a folder with a name that starts the same', async () => {
    await store.put('op/c1', { a: '1' });
    await store.put('op/c10/x', { a: '1' });
    expect(await store.list('op/')).toEqual(['c1', 'c10/']);
    expect(await store.get('op/c10')).toBeUndefined();
  });

  it.each(['', '/abs', 'trailing/', 'a//b', 'a/./b', 'a/../b', 'a/\nb'])(
    'refuses the path %j with INVALID_ARGUMENT',
    async (path) => {
      expect(await codeOf(store.get(path))).toBe(Code.INVALID_ARGUMENT);
      expect(await codeOf(store.put(path, { a: '1' }))).toBe(Code.INVALID_ARGUMENT);
      expect(await codeOf(store.delete(path))).toBe(Code.INVALID_ARGUMENT);
    },
  );

  it.each(['a', '/a/', 'a//'])('refuses the folder %j with INVALID_ARGUMENT', async (prefix) => {
    expect(await codeOf(store.list(prefix))).toBe(Code.INVALID_ARGUMENT);
  });

  it('refuses values that are not strings', async () => {
    const bad = { n: 1 } as unknown as Record<string, string>;
    expect(await codeOf(store.put('p', bad))).toBe(Code.INVALID_ARGUMENT);
    expect(await store.get('p')).toBeUndefined();
  });

  it('keeps values with any characters intact', async () => {
    const data = { pem: '-----BEGIN X-----\nline\n-----END X-----\n', uni: 'ü✓\u0000"\\', '': 'empty key' };
    await store.put('weird path/with spaces/ü', data);
    expect(await store.get('weird path/with spaces/ü')).toEqual(data);
  });

  it('serves concurrent writes without losing any', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(`many/s${i}`, { i: String(i) })));
    expect((await store.list('many/')).length).toBe(20);
    expect(await store.get('many/s7')).toEqual({ i: '7' });
  });
});
