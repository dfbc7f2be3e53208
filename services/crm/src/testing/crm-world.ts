// A real Controller (etcd) with its access API, and CRMs on a fake platform, for CRM tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { writeAccessKeyFile } from '@edge/accesskey';
import { silentLogger } from '@edge/log';
import { FakeControls, FakeInfra, FakePlatform } from '@edge/platform';
import { edgeproto } from '@edge/proto';
import { uniqueName, type TestServers } from '@edge/testing';
import {
  serveAccessApi,
  type ServedAccessApi,
} from '../../../controller/src/access/testing/serve-access-api';
import { startController, type ControllerHarness } from '../../../controller/src/testing/harness';
import { createCrm, type Crm, type CrmDeps } from '../crm';

/** The cloudlet every test uses. */
export const C1 = { organization: 'op', name: 'c1' };
export const C1_JSON = JSON.stringify(C1);

/** A streaming call's messages and its error, if any. */
export async function outcome<T extends { message: string }>(
  it: AsyncIterable<T>,
): Promise<{ messages: string[]; error?: Error }> {
  const messages: string[] = [];
  try {
    for await (const r of it) messages.push(r.message);
  } catch (e) {
    return { messages, error: e as Error };
  }
  return { messages };
}

/** Polls `cond` until true, or fails naming `what`. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A Controller with access API on etcd, a fake infrastructure that outlives CRMs, and CRMs. */
export class CrmWorld {
  /** The fake platform's "infrastructure" and controls: shared by every CRM of the world. */
  readonly infra = new FakeInfra();
  readonly controls = new FakeControls();
  h!: ControllerHarness;
  access!: ServedAccessApi;
  dir = '';
  keyFile = '';
  private readonly region = uniqueName('crm');
  private readonly crms = new Set<Crm>();

  constructor(private readonly servers: TestServers) {}

  async start(): Promise<this> {
    this.dir = await mkdtemp(join(tmpdir(), 'crm-'));
    this.keyFile = join(this.dir, 'access.key');
    await this.startController();
    return this;
  }

  /** (Re)starts the Controller; a restart keeps its notify port so CRMs find it again. */
  async startController(notifyPort?: number): Promise<void> {
    this.h = await startController({
      etcd: this.servers.etcd,
      region: this.region,
      requireNotifyAccessKey: true,
      ...(notifyPort ? { notifyPort } : {}),
    });
    this.access = await serveAccessApi(this.h);
  }

  async stopController(): Promise<number> {
    const port = Number(this.h.notifyAddress.split(':')[1]);
    await this.access.close();
    await this.h.close();
    return port;
  }

  /**
   * Starts CreateCloudlet (FAKE) and writes the access key it shows once to `keyFile`.
   * Resolves with the create's outcome as `done` (it ends when the CRM reports READY).
   */
  async createCloudlet(
    extra: Partial<edgeproto.Cloudlet> = {},
  ): Promise<{ done: Promise<{ messages: string[]; error?: Error }> }> {
    const stream = this.h.client(edgeproto.CloudletApi).createCloudlet({
      key: C1,
      location: { latitude: 50, longitude: 8 },
      numDynamicIps: 10,
      platformType: edgeproto.PlatformType.FAKE,
      ...extra,
    } as never);
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    const pem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/.exec(
      first.done ? '' : first.value.message,
    )?.[0];
    if (!pem) throw new Error('CreateCloudlet showed no access key');
    await writeAccessKeyFile(this.keyFile, pem);
    const rest = { [Symbol.asyncIterator]: () => it };
    const done = outcome(rest).then((r) => ({
      ...r,
      messages: [first.done ? '' : first.value.message, ...r.messages],
    }));
    return { done };
  }

  /** A CRM of c1 on the fake platform (not started). */
  crm(extra: Partial<CrmDeps> = {}): Crm {
    const crm = createCrm({
      cloudletKey: create(edgeproto.CloudletKeySchema, C1),
      region: this.region,
      notifyAddrs: [this.h.notifyAddress],
      platform: () => new FakePlatform({ infra: this.infra, controls: this.controls }),
      dataDir: join(this.dir, 'crm'),
      accessKey: { file: this.keyFile, apiAddr: this.access.address },
      notifySrvAddr: '127.0.0.1:0',
      notifyBackoff: { initialMs: 20, maxMs: 200 },
      persistIntervalMs: 30,
      controllerTimeoutMs: 10_000,
      containerVersion: 'test-1',
      log: silentLogger(),
      ...extra,
    });
    this.crms.add(crm);
    return crm;
  }

  /** A started CRM, past its first sync with the Controller. */
  async startCrm(extra: Partial<CrmDeps> = {}): Promise<Crm> {
    const crm = this.crm(extra);
    await crm.start();
    await crm.reconciling;
    return crm;
  }

  async stopCrm(crm: Crm): Promise<void> {
    this.crms.delete(crm);
    await crm.stop();
  }

  async close(): Promise<void> {
    for (const c of [...this.crms]) await this.stopCrm(c);
    await this.h.kv.deletePrefix(`${this.region}/`);
    await this.access.close();
    await this.h.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
