import { clone, create, type DescField, type Message } from '@bufbuild/protobuf';
import type { ObjectRegistry, ObjectType } from '@edge/proto';
import { beingDeletedError, existsError, notFoundError } from './errors';
import { copyPaths, updatePaths } from './field-mask';
import { inUseError } from './in-use';
import { validateKey } from './key-validation';
import { matches } from './match';
import type { CacheView, Clock, ObjectStorePort, ObjectTxn } from './ports';
import { findReferrers, resolveRefs } from './references';

type Obj = Record<string, unknown>;

/** Object-specific rules plugged into the generic create/update/delete. */
/** Per-call context of a create/update/delete: where progress messages go. */
export interface OpContext {
  /** Streams a progress message to the caller (a `Result` on streaming RPCs; dropped on unary ones). */
  send(message: string): void;
}

const SILENT: OpContext = { send: () => undefined };

/**
 * How a delete goes for objects that outlive the request (TrackedState objects: the CRM
 * removes them later). All optional; without them `delete` is the plain two-phase delete.
 */
export interface DeleteHooks<T extends Message = Message> {
  /** In the first transaction, on the stored object: may refuse the delete by throwing. */
  check?(tx: ObjectTxn, cur: T): Promise<void> | void;
  /** In the first transaction: changes stored with `delete_prepare` (e.g. the state). */
  mark?(marked: T): void;
  /** When the delete is refused after marking: undoes what `mark` changed on the stored object. */
  unmark?(restored: T): void;
  /** In the final transaction: the object to store instead of deleting it (`remove` deletes it later). */
  keep?(cur: T): T | undefined;
}

export interface ObjectRules<T extends Message = Message> {
  /**
   * Before the create transaction, outside it: may create what the object needs first
   * (e.g. an auto-cluster for an AppInst), streaming progress through `op.send`, and may
   * adjust the object (e.g. the real cluster name). Returns an undo run if the create fails.
   */
  prepare?(obj: T, op: OpContext): Promise<(() => Promise<void>) | void>;
  /** Fills key fields the original defaults (an AppInst's cluster org and name) before the key is checked. */
  normalize?(obj: T): void;
  /** Checks beyond the key, on the object as it will be stored (create: all of it; update: after the mask). */
  validate?(obj: T, op: 'create' | 'update'): void;
  /** Inside the create transaction, after the generic checks; may read and write other objects. */
  onCreate?(tx: ObjectTxn, obj: T): Promise<void>;
  /** Inside the update transaction; `cur` as stored, `next` with the masked fields applied. */
  onUpdate?(tx: ObjectTxn, cur: T, next: T, changed: readonly (readonly DescField[])[]): Promise<void>;
  /** After delete_prepare is set and referrers are ruled out; throwing cancels the delete. */
  beforeDelete?(cur: T): Promise<void>;
  /** Inside the final delete transaction (e.g. to drop refs records). */
  onDelete?(tx: ObjectTxn, cur: T): Promise<void>;
  /** Reference paths the generic "referenced object exists" check leaves to the rules. */
  skipRefPaths?: readonly string[];
}

export interface ObjectApiDeps {
  reg: ObjectRegistry;
  store: ObjectStorePort;
  cache: CacheView;
  now: Clock;
}

const hasField = (t: ObjectType, name: string): boolean => t.schema.fields.some((f) => f.name === name);

function stamp(type: ObjectType, obj: Message, field: 'created_at' | 'updated_at', now: Date): void {
  const f = type.schema.fields.find((x) => x.name === field);
  if (f?.fieldKind !== 'message') return;
  const ms = now.getTime();
  (obj as unknown as Obj)[f.localName] = create(f.message, {
    seconds: BigInt(Math.floor(ms / 1000)),
    nanos: (ms % 1000) * 1_000_000,
  });
}

/**
 * Generic create / update / delete / show of one object type: key validation, the
 * NotFound / AlreadyExists / BeingDeleted errors, referenced objects must exist and
 * not be under deletion, two-phase delete refused while referred to, field-mask
 * updates. Writes happen only inside one store transaction, so a refused request
 * changes nothing.
 */
export class ObjectApi<T extends Message = Message> {
  constructor(
    readonly type: ObjectType,
    private readonly deps: ObjectApiDeps,
    private readonly rules: ObjectRules<T> = {},
  ) {}

  private validateKey(obj: T): void {
    if (this.type.keySchema) validateKey(this.type.keySchema.name, this.type.keyOf(obj) as object);
  }

  /** Referenced objects must exist and not be under deletion. */
  private async checkRefs(tx: ObjectTxn, obj: T): Promise<void> {
    const skip = new Set(this.rules.skipRefPaths ?? []);
    for (const r of resolveRefs(this.deps.reg, this.type, obj, skip)) {
      const found = await tx.get<Message>(r.target, r.holder);
      if (!found) throw notFoundError(r.target, r.holder);
      if ((found as unknown as Obj)['deletePrepare'] === true) throw beingDeletedError(r.target, r.holder);
    }
  }

  /** The request with the rules' key defaults applied (a copy when there are any). */
  private normalized(input: T): T {
    if (!this.rules.normalize) return input;
    const copy = clone(this.type.schema, input) as T;
    this.rules.normalize(copy);
    return copy;
  }

  /** Creates `input` (after `prepare`, in one transaction); `init` may set system fields first, e.g. the state. */
  async create(input: T, op: OpContext = SILENT, init?: (obj: T) => void): Promise<T> {
    const obj = clone(this.type.schema, input) as T;
    this.rules.normalize?.(obj);
    this.validateKey(obj);
    this.rules.validate?.(obj, 'create');
    (obj as unknown as Obj)['fields'] = [];
    init?.(obj);
    stamp(this.type, obj, 'created_at', this.deps.now());
    const undo = await this.rules.prepare?.(obj, op);
    try {
      await this.deps.store.apply(async (tx) => {
        if (await tx.get(this.type, obj)) throw existsError(this.type, obj);
        await this.checkRefs(tx, obj);
        await this.rules.onCreate?.(tx, obj);
        tx.put(this.type, obj);
      });
    } catch (err) {
      if (undo) await undo();
      throw err;
    }
    return obj;
  }

  /** Updates by field mask; `edit` may refuse (throw) or set system fields (e.g. the state) on `next`. */
  async update(input: T, edit?: (tx: ObjectTxn, cur: T, next: T) => Promise<void> | void): Promise<T> {
    input = this.normalized(input);
    this.validateKey(input);
    const paths = updatePaths(
      this.type.schema,
      this.type.keyField?.name,
      (input as unknown as Obj)['fields'] as string[],
    );
    return this.deps.store.apply(async (tx) => {
      const cur = await tx.get<T>(this.type, input);
      if (!cur) throw notFoundError(this.type, input);
      if ((cur as unknown as Obj)['deletePrepare'] === true) throw beingDeletedError(this.type, input);
      const next = clone(this.type.schema, cur) as T;
      copyPaths(next, input, paths);
      this.rules.validate?.(next, 'update');
      await this.checkRefs(tx, next);
      await this.rules.onUpdate?.(tx, cur, next, paths);
      await edit?.(tx, cur, next);
      stamp(this.type, next, 'updated_at', this.deps.now());
      tx.put(this.type, next);
      return next;
    });
  }

  async delete(input: T, hooks: DeleteHooks<T> = {}): Promise<void> {
    input = this.normalized(input);
    this.validateKey(input);
    const twoPhase = hasField(this.type, 'delete_prepare');
    const cur = await this.deps.store.apply(async (tx) => {
      const found = await tx.get<T>(this.type, input);
      if (!found) throw notFoundError(this.type, input);
      await hooks.check?.(tx, found);
      if (!twoPhase) return found;
      if ((found as unknown as Obj)['deletePrepare'] === true) throw beingDeletedError(this.type, input);
      const marked = clone(this.type.schema, found) as T;
      (marked as unknown as Obj)['deletePrepare'] = true;
      hooks.mark?.(marked);
      tx.put(this.type, marked);
      return found;
    });
    try {
      const refusal = inUseError(
        this.type.name,
        findReferrers(this.deps.reg, this.type, cur, (t) => this.deps.cache.list(t)),
      );
      if (refusal) throw refusal;
      await this.rules.beforeDelete?.(cur);
    } catch (err) {
      if (twoPhase) await this.clearDeletePrepare(input, hooks.unmark);
      throw err;
    }
    await this.deps.store.apply(async (tx) => {
      const found = await tx.get<T>(this.type, input);
      if (!found) return;
      const kept = hooks.keep?.(found);
      if (kept) tx.put(this.type, kept);
      else await this.remove(tx, found);
    });
  }

  /** Deletes a stored object in `tx`, with its rules' `onDelete`: the end of every delete. */
  async remove(tx: ObjectTxn, cur: T): Promise<void> {
    await this.rules.onDelete?.(tx, cur);
    tx.delete(this.type, cur);
  }

  private async clearDeletePrepare(input: T, unmark?: (restored: T) => void): Promise<void> {
    await this.deps.store.apply(async (tx) => {
      const found = await tx.get<T>(this.type, input);
      if (!found || (found as unknown as Obj)['deletePrepare'] !== true) return;
      const undone = clone(this.type.schema, found) as T;
      (undone as unknown as Obj)['deletePrepare'] = false;
      unmark?.(undone);
      tx.put(this.type, undone);
    });
  }

  /** Cached objects matching the non-zero fields of `filter`, in key order. */
  show(filter: T): T[] {
    return this.deps.cache
      .list<T>(this.type)
      .filter((o) => matches(this.type.schema, filter as unknown as Obj, o as unknown as Obj));
  }
}
