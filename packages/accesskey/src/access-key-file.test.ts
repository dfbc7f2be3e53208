// The CRM side of UpgradeAccessKey against a scripted in-test server: what ends up in the
// key file and its backup in each case.
import { verify } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { addService, createServer, insecureServer, listen, type Listening } from '@edge/rpc';
import { generateAccessKeyPair, type AccessKeyPair } from './access-key-pair';
import {
  backupKeyFile,
  readAccessKeyFile,
  upgradeAccessKeyFile,
  writeAccessKeyFile,
} from './access-key-file';
import { ACCESS_KEY_DATA, ACCESS_KEY_SIG } from './sign-access-key';
import { UPGRADE_MSG } from './upgrade-protocol';

const C1 = { organization: 'op', name: 'c1' };

/** A Controller stand-in: knows one valid key, upgrades it when `upgrade` is set. */
class ScriptedServer {
  valid: AccessKeyPair = generateAccessKeyPair();
  upgrade = false;
  acks = 0;
  private listening: Listening | undefined;

  async start(): Promise<string> {
    const server = createServer();
    addService(server, edgeproto.CloudletAccessKeyApi, {
      upgradeAccessKey: (reqs, ctx) => this.handle(reqs, ctx.requestHeader),
    });
    this.listening = await listen(server, '127.0.0.1:0', insecureServer());
    return `127.0.0.1:${this.listening.port}`;
  }

  async close(): Promise<void> {
    await this.listening?.close(100);
  }

  private async *handle(
    reqs: AsyncIterable<edgeproto.UpgradeAccessKeyClientMsg>,
    md: Headers,
  ): AsyncGenerator<{ msg: string; crmPrivateAccessKey?: string }> {
    const sig = Buffer.from(md.get(ACCESS_KEY_SIG) ?? '', 'base64');
    const data = Buffer.from(md.get(ACCESS_KEY_DATA) ?? '');
    if (!verify(null, data, this.valid.publicPem, sig))
      throw new EdgeError(Code.UNAUTHENTICATED, 'Failed to verify cloudlet access key signature');
    const it = reqs[Symbol.asyncIterator]();
    await it.next();
    if (!this.upgrade) {
      yield { msg: UPGRADE_MSG.notNeeded };
      return;
    }
    const next = generateAccessKeyPair();
    yield { msg: UPGRADE_MSG.newKey, crmPrivateAccessKey: next.privatePem };
    if ((await it.next()).done) return;
    this.acks++;
    this.valid = next;
    this.upgrade = false;
    yield { msg: UPGRADE_MSG.committed };
  }
}

describe('upgradeAccessKeyFile', () => {
  const server = new ScriptedServer();
  let address: string;
  let dir: string;
  let keyFile: string;
  beforeAll(async () => {
    address = await server.start();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accesskey-'));
    keyFile = join(dir, 'priv.key');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('leaves a key that needs no upgrade alone', async () => {
    await writeAccessKeyFile(keyFile, server.valid.privatePem);
    const r = await upgradeAccessKeyFile({ address, cloudletKey: C1, keyFile });
    expect(r).toEqual({ upgraded: false, privatePem: server.valid.privatePem });
    await expect(readFile(backupKeyFile(keyFile))).rejects.toThrow();
  });

  it('writes the new key, keeps the old one as backup, acks and waits for the commit', async () => {
    const old = server.valid.privatePem;
    await writeAccessKeyFile(keyFile, old);
    server.upgrade = true;
    const r = await upgradeAccessKeyFile({ address, cloudletKey: C1, keyFile });
    expect(r.upgraded).toBe(true);
    expect(r.privatePem).toBe(server.valid.privatePem);
    expect(await readAccessKeyFile(keyFile)).toBe(server.valid.privatePem);
    expect(await readAccessKeyFile(backupKeyFile(keyFile))).toBe(old);
    expect(server.acks).toBe(1);
  });

  it('restores a backup key that is still the valid one', async () => {
    await writeAccessKeyFile(keyFile, generateAccessKeyPair().privatePem);
    await writeAccessKeyFile(backupKeyFile(keyFile), server.valid.privatePem);
    const r = await upgradeAccessKeyFile({ address, cloudletKey: C1, keyFile });
    expect(r).toEqual({ upgraded: false, privatePem: server.valid.privatePem });
    await expect(readFile(backupKeyFile(keyFile))).rejects.toThrow();
  });

  it("fails with the primary key's error when no key is accepted", async () => {
    await writeAccessKeyFile(keyFile, generateAccessKeyPair().privatePem);
    await expect(upgradeAccessKeyFile({ address, cloudletKey: C1, keyFile })).rejects.toThrow(
      'Failed to verify cloudlet access key signature',
    );
  });
});
