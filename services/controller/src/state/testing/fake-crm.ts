import { create, type Message } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import type { RegionCache } from '@edge/store';
import type { CrmIntake } from '..';

const TS = edgeproto.TrackedState;

/** How the fake CRM answers one operation. */
export interface CrmScript {
  /** Progress messages, each sent as its own report (cumulative, as a real CRM's status). */
  readonly messages?: readonly string[];
  /** Pause before each report, ms. */
  readonly delayMs?: number;
  /** End in the operation's error state with these errors. */
  readonly fail?: readonly string[];
  /** `silent`: never answer; `transition`: report CREATING/UPDATING/DELETING (and messages), then stop. */
  readonly stall?: 'silent' | 'transition';
}

/** What the fake CRM answers, by object type and operation; default: messages `step 1`, `step 2`, success. */
export type CrmScripts = (
  typeName: 'AppInst' | 'ClusterInst' | 'Cloudlet',
  verb: 'create' | 'update' | 'delete',
) => CrmScript;

/** Options of {@link FakeCrm}. */
export interface FakeCrmOptions {
  /** The cache of the Controller whose objects the CRM watches (its notify feed). */
  readonly watch: RegionCache;
  /** Where reports go: the intake of this or ANOTHER Controller of the region. */
  readonly intake: CrmIntake;
  readonly cloudlet: edgeproto.CloudletKey;
  readonly scripts?: CrmScripts;
  /** Flavors the cloudlet offers, sent in its CloudletInfo. */
  readonly flavors?: readonly edgeproto.FlavorInfo[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sameCloudlet = (a: edgeproto.CloudletKey | undefined, b: edgeproto.CloudletKey): boolean =>
  a?.organization === b.organization && a.name === b.name;

/**
 * A scripted stand-in for a cloudlet's CRM in tests: watches a Controller's cache for
 * objects of its cloudlet in *_REQUESTED and answers with Info reports through the
 * intake functions (of possibly another Controller), with configurable messages, delays,
 * failures or silence (for timeouts).
 */
export class FakeCrm {
  private readonly offs: (() => void)[] = [];
  private readonly handled = new Set<string>();
  private scripts: CrmScripts;
  /** Reports in flight; `idle()` waits for them. */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly opts: FakeCrmOptions) {
    this.scripts = opts.scripts ?? (() => ({ messages: ['step 1', 'step 2'] }));
  }

  /** Changes how later operations are answered. */
  setScripts(scripts: CrmScripts): void {
    this.scripts = scripts;
  }

  /** Starts watching (and answers what is already requested). */
  start(): this {
    for (const typeName of ['AppInst', 'ClusterInst', 'Cloudlet'] as const) {
      const cache = this.opts.watch.type(typeName);
      this.offs.push(
        cache.onChange((c) => c.obj && this.consider(typeName, c.keyJson, c.obj, c.modRevision)),
      );
      for (const [keyJson, rev] of cache.revisions()) {
        const obj = cache.get(keyJson);
        if (obj) this.consider(typeName, keyJson, obj, rev);
      }
    }
    return this;
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** Resolves when no report is in flight. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** The CRM comes up: CloudletInfo INIT, then READY (with the given flavors). */
  async connect(): Promise<void> {
    const flavors = [...(this.opts.flavors ?? [])];
    for (const state of [dme.CloudletState.INIT, dme.CloudletState.READY])
      await this.opts.intake.applyCloudletInfo(
        create(edgeproto.CloudletInfoSchema, { key: this.opts.cloudlet, notifyId: 1n, flavors, state }),
      );
  }

  /** The CRM's connection ends. */
  async disconnect(): Promise<void> {
    await this.opts.intake.cloudletDisconnected(this.opts.cloudlet);
  }

  private consider(
    typeName: 'AppInst' | 'ClusterInst' | 'Cloudlet',
    keyJson: string,
    obj: Message,
    rev: number,
  ): void {
    const o = obj as unknown as { state: edgeproto.TrackedState; key?: unknown };
    const verb =
      o.state === TS.CREATE_REQUESTED
        ? 'create'
        : o.state === TS.UPDATE_REQUESTED
          ? 'update'
          : o.state === TS.DELETE_REQUESTED
            ? 'delete'
            : undefined;
    if (!verb) return;
    const cloudlet =
      typeName === 'Cloudlet'
        ? (obj as edgeproto.Cloudlet).key
        : typeName === 'ClusterInst'
          ? (obj as edgeproto.ClusterInst).key?.cloudletKey
          : (obj as edgeproto.AppInst).key?.clusterInstKey?.cloudletKey;
    if (!sameCloudlet(cloudlet, this.opts.cloudlet)) return;
    const id = `${typeName}/${keyJson}/${rev}`;
    if (this.handled.has(id)) return;
    this.handled.add(id);
    const p = this.answer(typeName, o.key, verb, this.scripts(typeName, verb)).catch(() => undefined);
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async answer(
    typeName: 'AppInst' | 'ClusterInst' | 'Cloudlet',
    key: unknown,
    verb: 'create' | 'update' | 'delete',
    script: CrmScript,
  ): Promise<void> {
    if (script.stall === 'silent') return;
    const msgs: string[] = [];
    const report = async (state: number, errors: readonly string[] = []): Promise<void> => {
      if (script.delayMs) await sleep(script.delayMs);
      await this.send(typeName, key, state, [...msgs], errors);
    };
    const busy =
      typeName === 'Cloudlet'
        ? verb === 'update'
          ? dme.CloudletState.UPGRADE
          : dme.CloudletState.INIT
        : ([TS.CREATING, TS.UPDATING, TS.DELETING][['create', 'update', 'delete'].indexOf(verb)] as number);
    await report(busy);
    for (const m of script.messages ?? []) {
      msgs.push(m);
      await report(busy);
    }
    if (script.stall === 'transition') return;
    if (typeName === 'Cloudlet') {
      await report(script.fail ? dme.CloudletState.ERRORS : dme.CloudletState.READY, script.fail ?? []);
      return;
    }
    const done = verb === 'delete' ? TS.DELETE_DONE : TS.READY;
    const failed = [TS.CREATE_ERROR, TS.UPDATE_ERROR, TS.DELETE_ERROR][
      ['create', 'update', 'delete'].indexOf(verb)
    ] as number;
    await report(script.fail ? failed : done, script.fail ?? []);
  }

  private async send(
    typeName: string,
    key: unknown,
    state: number,
    msgs: string[],
    errors: readonly string[],
  ): Promise<void> {
    const status = { msgs, msgCount: msgs.length };
    const base = { key: key as never, state: state as never, errors: [...errors], status, notifyId: 1n };
    if (typeName === 'AppInst')
      await this.opts.intake.applyAppInstInfo(create(edgeproto.AppInstInfoSchema, base));
    else if (typeName === 'ClusterInst')
      await this.opts.intake.applyClusterInstInfo(create(edgeproto.ClusterInstInfoSchema, base));
    else
      await this.opts.intake.applyCloudletInfo(
        create(edgeproto.CloudletInfoSchema, { ...base, flavors: [...(this.opts.flavors ?? [])] }),
      );
  }
}
