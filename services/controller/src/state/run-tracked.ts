import { randomUUID } from 'node:crypto';
import { EdgeError, failedPrecondition } from '@edge/errors';
import type { edgeproto } from '@edge/proto';
import type { OpContext } from '../crud/object-api';
import { AsyncQueue } from './async-queue';
import { followRecord } from './follow-record';
import type { StateDeps } from './state-deps';
import { ignoresTransient } from './states';
import { applyState } from './state-txn';
import { acceptsNewOp, streamLabel, type StreamEntry } from './stream-record';

/** The original's `StreamActionAlreadyInProgressMsg`; the refusal names the stream. */
export const ACTION_IN_PROGRESS = 'An action is already in progress for the object';

/** One operation on one tracked object, as its body sees it. */
export interface OpRun {
  readonly deps: StateDeps;
  readonly typeName: string;
  readonly keyJson: string;
  /** Id of this operation (the stream record's `op`). */
  readonly op: string;
  /** Streams a message to the caller and every follower (recorded, in order). */
  send(message: string): void;
  /** Streams a message to this caller only, never recorded (e.g. a private key), in order with `send`. */
  direct(message: string): void;
  /** `send` as an OpContext, for ObjectApi and its rules. */
  readonly ctx: OpContext;
}

/** Options of {@link runTracked}. */
export interface RunOptions {
  readonly override: edgeproto.CRMOverride;
  /** Whether to delete the record once the operation ended with `err` (undefined: success). */
  cleanup?(err: unknown): boolean;
}

/**
 * Runs `body` as the current operation of an object: starts its stream record (refused
 * with `An action is already in progress for the object <Type>StreamKey: <key>` while
 * another operation's record is open, unless the override ignores transient state),
 * yields every message of the record as it is written (by this body or by a CRM report
 * arriving at any Controller), then marks the record ended (EOM or the error) and
 * rethrows the body's error after its messages.
 */
export async function* runTracked(
  deps: StateDeps,
  typeName: string,
  keyJson: string,
  opts: RunOptions,
  body: (run: OpRun) => Promise<void>,
): AsyncGenerator<string> {
  const op = randomUUID();
  await applyState(deps, async (tx) => {
    const cur = await tx.getRecord(typeName, keyJson);
    if (cur && !acceptsNewOp(cur) && !ignoresTransient(opts.override))
      throw failedPrecondition(`${ACTION_IN_PROGRESS} ${streamLabel(typeName, keyJson)}`);
    tx.putRecord(typeName, keyJson, { op, entries: [], crmMsgs: 0 });
  });
  const out = new AsyncQueue<string>();
  let chain = Promise.resolve();
  const enqueue = (f: () => Promise<void> | void): void => {
    chain = chain
      .then(f)
      .catch((err: unknown) => deps.log.warn({ err, typeName, keyJson }, 'stream record append failed'));
  };
  const append = (entries: readonly StreamEntry[]): Promise<void> =>
    applyState(deps, (tx) => tx.appendRecord(typeName, keyJson, entries, op));
  const send = (message: string): void => enqueue(() => append([{ msg: message }]));
  const run: OpRun = {
    deps,
    typeName,
    keyJson,
    op,
    send,
    direct: (message) => enqueue(() => out.push(message)),
    ctx: { send },
  };
  const follow = followRecord(
    deps,
    typeName,
    keyJson,
    (e) => {
      if ('msg' in e) out.push(e.msg);
    },
    () => undefined,
    { op, idleMs: 2 ** 31 - 1 },
  );
  void (async () => {
    let failure: unknown;
    try {
      await body(run);
    } catch (err) {
      failure = err ?? new Error('operation failed');
    }
    await chain;
    try {
      await append([failure === undefined ? { eom: true } : { error: EdgeError.from(failure).message }]);
      if (opts.cleanup?.(failure))
        await applyState(deps, async (tx) => {
          if ((await tx.getRecord(typeName, keyJson))?.op === op) tx.deleteRecord(typeName, keyJson);
        });
    } catch (err) {
      deps.log.warn({ err, typeName, keyJson }, 'ending stream record failed');
    }
    follow.stop();
    if (failure === undefined) out.end();
    else out.fail(failure);
  })();
  yield* out;
}

/** Runs a tracked operation to its end, forwarding its messages to `ctx` (for internal callers). */
export async function forward(messages: AsyncIterable<string>, ctx: OpContext): Promise<void> {
  for await (const m of messages) ctx.send(m);
}
