import type { Message } from '@bufbuild/protobuf';
import type { Change, ConnectionPolicy } from '@edge/notify';
import { dme, edgeproto, type ObjectRegistry, type ObjectType } from '@edge/proto';
import type { RegionCache } from '@edge/store';
import { CLOUDLET, cloudletScope, objectOfKey, referencesTo, type CloudletScope } from './cloudlet-scope';

const CS = dme.CloudletState;
const TS = edgeproto.TrackedState;
/** CloudletInfo states on which the CRM gets its Cloudlet (notify_customupdate.go). */
const SENDS_CLOUDLET = new Set([CS.READY, CS.UPGRADE, CS.NEED_SYNC, CS.INIT]);

/** What the per-connection policies read. */
export interface PolicyDeps {
  readonly reg: ObjectRegistry;
  /** The Controller's region cache (current objects and their revisions). */
  readonly cache: RegionCache;
  /** Send order of types (the source's `order`), to sort what a policy sends. */
  readonly order?: (type: string) => number;
}

/** Options of {@link crmPolicy}. */
export interface CrmPolicyOptions {
  /**
   * The CRM's cloudlet (CloudletKey JSON) when known at connect, e.g. from its access-key
   * identity. Needed to resume a CRM: its replayed changes are filtered before its
   * CloudletInfo arrives.
   */
  readonly cloudlet?: string;
  /**
   * The revision the child resumes from (undefined: a full sync). A child must only
   * resume after a completed initial sync (it got SENDALL_END, i.e. its cloudlet was READY).
   */
  readonly resumeFrom?: number;
}

/** The CRM cloudlet filter of one connection (see {@link crmPolicy}). */
export interface CrmPolicy extends ConnectionPolicy {
  readonly defersSendAllEnd: true;
  /** False for a resume whose cloudlet is unknown: serve a full resync instead. */
  readonly resumable: boolean;
  /**
   * Objects to send along with an allowed change (the original's "AppInst update also
   * enqueues its App", "Cloudlet send also sends its VMPool").
   */
  related(change: Change): Change[];
  /** The connection's cloudlets (key JSON) and which of them are READY. */
  cloudlets(): { keys: string[]; ready: string[] };
}

const orgOf = (cloudletKeyJson: string): string =>
  (JSON.parse(cloudletKeyJson) as { organization?: string }).organization ?? '';

/**
 * The original's cloudlet-key filter for a CRM connection (`filter_cloudlet_key`,
 * notify_customupdate.go; platform.md §3.6):
 * - initial send: nothing of a `notify_filter_cloudlet_key` type (App, AppInst, Cloudlet,
 *   ClusterInst, VMPool, TrustPolicyException);
 * - CloudletInfo received: its key joins the connection's cloudlets (a delete removes it);
 *   in state INIT/READY/UPGRADE/NEED_SYNC the Cloudlet (and its VMPool) is sent;
 * - READY (or NEED_SYNC without controller_cache_received), unless an old CRM is still
 *   running during an upgrade: every ClusterInst and AppInst of that cloudlet (and their
 *   Apps, and the TrustPolicyExceptions of its organization's pools) is sent, and the
 *   deferred SENDALL_END released (once);
 * - afterwards a filtered type passes only for the connection's cloudlets, per its
 *   {@link CloudletScope}; App updates always pass.
 */
export function crmPolicy(deps: PolicyDeps, opts: CrmPolicyOptions = {}): CrmPolicy {
  const { reg, cache } = deps;
  const keys = new Set<string>();
  const ready = new Set<string>();
  const pushed = new Set<string>();
  const scopes = new Map<string, CloudletScope>();
  const resumed = opts.resumeFrom !== undefined;
  const resumable = !resumed || opts.cloudlet !== undefined;
  if (resumed && opts.cloudlet !== undefined) {
    keys.add(opts.cloudlet);
    ready.add(opts.cloudlet);
  }
  const updatesAfter = opts.resumeFrom ?? cache.revision;
  let released = false;

  const scopeOf = (t: ObjectType): CloudletScope => {
    let s = scopes.get(t.name);
    if (!s) scopes.set(t.name, (s = cloudletScope(reg, t)));
    return s;
  };
  const idOf = (c: Change): string => `${c.type}\u0000${c.key}`;
  const objOf = (t: ObjectType, c: Change): Message => c.obj ?? objectOfKey(t, c.key);
  const current = (t: ObjectType, key: string): Change | undefined => {
    const s = cache.type(t.name).getWithRevision(key);
    return s && { type: t.typeName, key, rev: s.modRevision, obj: s.obj };
  };
  const usedByConnection = (t: ObjectType, key: string): boolean => {
    const cloudletType = reg.get(CLOUDLET);
    for (const k of keys) {
      const cl = cache.type(CLOUDLET).get(k);
      if (cl && referencesTo(reg, cloudletType, cl, t.name, orgOf(k)).includes(key)) return true;
    }
    return false;
  };
  const poolOrgs = (t: ObjectType, obj: Message): string[] =>
    t
      .referenceValues(obj)
      .filter((v) => v.ref.target === 'CloudletPool')
      .map((v) => (v.value as edgeproto.CloudletPoolKey).organization);

  const allows = (change: Change): boolean => {
    const t = reg.find(change.type);
    if (!t?.notifyFilterCloudletKey) return true;
    switch (scopeOf(t)) {
      case 'cloudlet':
        return keys.has(change.key);
      case 'on-cloudlet':
        return referencesTo(reg, t, objOf(t, change), CLOUDLET).some((k) => ready.has(k));
      case 'used-by-cloudlet':
        return usedByConnection(t, change.key);
      case 'pool-org': {
        const orgs = new Set([...keys].map(orgOf));
        return poolOrgs(t, objOf(t, change)).some((o) => orgs.has(o));
      }
      case 'always':
        return change.rev > updatesAfter || pushed.has(idOf(change));
    }
  };

  const related = (change: Change): Change[] => {
    const t = reg.find(change.type);
    if (!change.obj || !t?.notifyFilterCloudletKey || !allows(change)) return [];
    const scope = scopeOf(t);
    if (scope !== 'cloudlet' && scope !== 'on-cloudlet') return [];
    const org = scope === 'cloudlet' ? orgOf(change.key) : '';
    const out: Change[] = [];
    for (const target of new Set(t.references.map((r) => r.target))) {
      const tt = reg.get(target);
      const ts = scopeOf(tt);
      if (!tt.notifyFilterCloudletKey || (ts !== 'always' && ts !== 'used-by-cloudlet')) continue;
      for (const key of referencesTo(reg, t, change.obj, target, org)) {
        const c = current(tt, key);
        if (!c) continue;
        if (ts === 'always') pushed.add(idOf(c));
        out.push(c);
      }
    }
    return out;
  };

  /** The change and what goes with it, for explicit sends. */
  const withRelated = (c: Change | undefined): Change[] => (c ? [...related(c), c] : []);

  /** Everything of a newly READY cloudlet: its instances (+ Apps) and its org's pool exceptions. */
  const contents = (cloudletKey: string): Change[] => {
    const out: Change[] = [];
    for (const t of reg.all()) {
      if (!t.notifyFilterCloudletKey || !t.stored) continue;
      const scope = scopeOf(t);
      if (scope !== 'on-cloudlet' && scope !== 'pool-org') continue;
      for (const [key, s] of listWithRevision(cache, t)) {
        const c: Change = { type: t.typeName, key, rev: s.rev, obj: s.obj };
        const mine =
          scope === 'on-cloudlet' ? referencesTo(reg, t, s.obj, CLOUDLET).includes(cloudletKey) : allows(c);
        if (mine) out.push(...withRelated(c));
      }
    }
    return out;
  };

  const upgradeWait = (key: string, info: edgeproto.CloudletInfo): boolean => {
    const cl = cache.type<edgeproto.Cloudlet>(CLOUDLET).get(key);
    const upgrading = cl?.state === TS.UPDATE_REQUESTED || cl?.state === TS.UPDATING;
    return upgrading && info.containerVersion !== cl.containerVersion;
  };

  const sorted = (changes: Change[]): Change[] => {
    const unique = new Map(changes.map((c) => [idOf(c), c]));
    const order = deps.order ?? (() => 0);
    return [...unique.values()].sort((a, b) => order(a.type) - order(b.type));
  };

  return {
    defersSendAllEnd: true,
    resumable,
    allows,
    related,
    cloudlets: () => ({ keys: [...keys], ready: [...ready] }),
    onReceived(type, obj, key) {
      if (reg.find(type)?.name !== 'CloudletInfo') return {};
      if (!obj) {
        keys.delete(key);
        ready.delete(key);
        return {};
      }
      const info = obj as edgeproto.CloudletInfo;
      keys.add(key);
      const send: Change[] = [];
      if (SENDS_CLOUDLET.has(info.state)) send.push(...withRelated(current(reg.get(CLOUDLET), key)));
      const readyNow =
        info.state === CS.READY || (info.state === CS.NEED_SYNC && !info.controllerCacheReceived);
      if (readyNow && !ready.has(key) && !upgradeWait(key, info)) {
        ready.add(key);
        send.push(...contents(key));
      }
      const release = readyNow && ready.has(key) && !released;
      if (release) released = true;
      return { send: sorted(send), ...(release ? { releaseSendAllEnd: true } : {}) };
    },
  };
}

/** Current objects of a type with their key JSON and mod revision. */
function listWithRevision(cache: RegionCache, t: ObjectType): [string, { obj: Message; rev: number }][] {
  const tc = cache.type(t.name);
  return tc.list().map((obj) => {
    const key = t.keyJson(obj);
    return [key, { obj, rev: tc.getWithRevision(key)?.modRevision ?? 0 }];
  });
}
