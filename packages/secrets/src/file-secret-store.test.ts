import { rejection as failure } from '@edge/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code } from '@edge/errors';
import { createLogger, memoryLog } from '@edge/log';
import { FileSecretStore } from './file-secret-store';

describe('FileSecretStore', () => {
  let dir: string;
  let file: string;
  let keyFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secrets-file-'));
    file = join(dir, 'state', 'secrets.enc');
    keyFile = join(dir, 'keys', 'master.key');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps secrets across reopen with the same key file', async () => {
    const a = await FileSecretStore.open({ file, masterKeyFile: keyFile });
    await a.put('cloudlet/op/c1/accessvars', { OS_PASSWORD: 'hunter2' });
    const b = await FileSecretStore.open({ file, masterKeyFile: keyFile });
    expect(await b.get('cloudlet/op/c1/accessvars')).toEqual({ OS_PASSWORD: 'hunter2' });
  });

  it('creates the key file with 32 random bytes, mode 0600, and writes the store 0600', async () => {
    const store = await FileSecretStore.open({ file, masterKeyFile: keyFile });
    await store.put('p', { k: 'v' });
    const key = await stat(keyFile);
    expect(key.size).toBe(32);
    expect(key.mode & 0o777).toBe(0o600);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'state'))).toEqual(['secrets.enc']); // no temporary left behind
  });

  it('does not write a file before the first put', async () => {
    const store = await FileSecretStore.open({ file, masterKeyFile: keyFile });
    expect(await store.list('')).toEqual([]);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it('stores no plaintext: neither values nor paths nor field names', async () => {
    const store = await FileSecretStore.open({ file, masterKeyFile: keyFile });
    await store.put('cloudlet/op/c1/accessvars', { OS_PASSWORD: 'hunter2-very-secret' });
    const raw = await readFile(file);
    for (const s of ['hunter2-very-secret', 'OS_PASSWORD', 'accessvars', 'cloudlet']) {
      expect(raw.includes(Buffer.from(s))).toBe(false);
    }
    expect(raw.subarray(0, 8).toString('ascii')).toBe('EDGESEC1');
  });

  it('uses a fresh IV per write: the same content encrypts differently', async () => {
    const store = await FileSecretStore.open({ file, masterKeyFile: keyFile });
    await store.put('p', { k: 'v' });
    const first = await readFile(file);
    await store.put('p', { k: 'v' });
    const second = await readFile(file);
    expect(first.length).toBe(second.length);
    expect(first.equals(second)).toBe(false);
  });

  it('refuses to open with a wrong master key, with a clear error', async () => {
    const store = await FileSecretStore.open({ file, masterKey: randomBytes(32).toString('hex') });
    await store.put('p', { k: 'v' });
    const err = await failure(FileSecretStore.open({ file, masterKey: randomBytes(32).toString('hex') }));
    expect(err.code).toBe(Code.FAILED_PRECONDITION);
    expect(err.message).toBe(
      `secret store ${file}: the master key does not decrypt it (wrong key, or the file was altered)`,
    );
  });

  it('refuses a tampered file the same way', async () => {
    const store = await FileSecretStore.open({ file, masterKeyFile: keyFile });
    await store.put('p', { k: 'v' });
    const raw = await readFile(file);
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    await writeFile(file, raw);
    const err = await failure(FileSecretStore.open({ file, masterKeyFile: keyFile }));
    expect(err.message).toMatch(/the master key does not decrypt it/);
  });

  it('refuses a file that is not a store', async () => {
    await rm(file, { force: true });
    await writeFile(join(dir, 'plain.json'), '{"secrets":{}}');
    const err = await failure(
      FileSecretStore.open({ file: join(dir, 'plain.json'), masterKeyFile: keyFile }),
    );
    expect(err.code).toBe(Code.FAILED_PRECONDITION);
    expect(err.message).toBe(`secret store ${join(dir, 'plain.json')}: not an encrypted store file`);
  });

  it('takes the key as hex, base64 or bytes — the same key whichever way it is written', async () => {
    const key = randomBytes(32);
    const hex = await FileSecretStore.open({ file, masterKey: key.toString('hex') });
    await hex.put('p', { k: 'v' });
    for (const masterKey of [key.toString('base64'), key.toString('base64url'), key]) {
      const s = await FileSecretStore.open({ file, masterKey });
      expect(await s.get('p')).toEqual({ k: 'v' });
    }
    await writeFile(keyFile.replace('keys/', ''), `${key.toString('hex')}\n`);
    const fromText = await FileSecretStore.open({ file, masterKeyFile: keyFile.replace('keys/', '') });
    expect(await fromText.get('p')).toEqual({ k: 'v' });
  });

  it('validates options, naming the field and never echoing the key', async () => {
    const short = await failure(FileSecretStore.open({ file, masterKey: 'abcd1234' }));
    expect(short.code).toBe(Code.INVALID_ARGUMENT);
    expect(short.message).toBe('masterKey: want 32 bytes as 64 hex digits or base64');
    const neither = await failure(FileSecretStore.open({ file }));
    expect(neither.message).toBe('secret store: give exactly one of masterKey and masterKeyFile');
    const both = await failure(FileSecretStore.open({ file, masterKey: 'x', masterKeyFile: keyFile }));
    expect(both.code).toBe(Code.INVALID_ARGUMENT);
    await writeFile(join(dir, 'bad.key'), 'not a key');
    const badFile = await failure(FileSecretStore.open({ file, masterKeyFile: join(dir, 'bad.key') }));
    expect(badFile.message).toBe(
      `master key file ${join(dir, 'bad.key')}: want 32 bytes as 64 hex digits or base64`,
    );
  });

  it('sees writes made by another instance on the same file', async () => {
    const a = await FileSecretStore.open({ file, masterKeyFile: keyFile });
    const b = await FileSecretStore.open({ file, masterKeyFile: keyFile });
    await a.put('x', { v: '1' });
    expect(await b.get('x')).toEqual({ v: '1' });
    await b.put('y', { v: '2' });
    expect(await a.list('')).toEqual(['x', 'y']);
  });

  it('logs paths and counts, never values', async () => {
    const mem = memoryLog();
    const log = createLogger({ name: 'test', level: 'debug', destination: mem.stream });
    const a = await FileSecretStore.open({ file, masterKeyFile: keyFile, log });
    await a.put('p', { password: 'hunter2-in-log?' });
    await FileSecretStore.open({ file, masterKeyFile: keyFile, log });
    const text = JSON.stringify(mem.lines());
    expect(text).toContain('opened secret store');
    expect(text).not.toContain('hunter2-in-log?');
  });
});
