import { create } from '@bufbuild/protobuf';
import type { EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { EtcdStore, MemStore, type KVStore } from '@edge/store';
import { startController, type ControllerHarness } from '../../testing/harness';
import { crmIntake, type CrmIntake } from '..';
import type { StateDeps } from '../state-deps';
import { FakeCrm } from './fake-crm';
import { stateDepsOf } from './harness-deps';

/** Two Controllers of one region on one store, and a fake CRM watching A that reports to B. */
export interface StateWorld {
  readonly kv: KVStore;
  readonly region: string;
  readonly a: ControllerHarness;
  readonly b: ControllerHarness;
  readonly depsA: StateDeps;
  readonly depsB: StateDeps;
  /** The intake of Controller B. */
  readonly intakeB: CrmIntake;
  readonly cloudlet: edgeproto.CloudletKey;
  readonly crm: FakeCrm;
  close(): Promise<void>;
}

/** Starts the world (MemStore, or etcd at `etcd`); the CRM is started, not yet connected. */
export async function stateWorld(opts: { etcd?: string; region?: string } = {}): Promise<StateWorld> {
  const region = opts.region ?? 'local';
  const kv = opts.etcd ? new EtcdStore({ endpoints: [opts.etcd] }) : new MemStore();
  const a = await startController({ kv, region });
  const b = await startController({ kv, region });
  const depsA = stateDepsOf(a);
  const depsB = stateDepsOf(b);
  const intakeB = crmIntake(depsB);
  const cloudlet = create(edgeproto.CloudletKeySchema, { organization: 'op', name: 'c1' });
  const flavors = [
    create(edgeproto.FlavorInfoSchema, { name: 'm4.small', vcpus: 2n, ram: 4096n, disk: 40n }),
  ];
  const crm = new FakeCrm({ watch: a.ctrl.cache, intake: intakeB, cloudlet, flavors }).start();
  return {
    kv,
    region,
    a,
    b,
    depsA,
    depsB,
    intakeB,
    cloudlet,
    crm,
    async close() {
      crm.stop();
      await crm.idle();
      await a.close();
      await b.close();
      await kv.close();
    },
  };
}

/** A streaming call's messages and its error, if any. */
export async function outcome<T extends { message: string }>(
  it: AsyncIterable<T>,
): Promise<{ messages: string[]; error?: EdgeError }> {
  const messages: string[] = [];
  try {
    for await (const r of it) messages.push(r.message);
  } catch (e) {
    return { messages, error: e as EdgeError };
  }
  return { messages };
}

/** Polls `f` until it returns true (state reached through the watch). */
export async function eventually(f: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!f()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
