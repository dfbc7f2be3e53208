import { Code, EdgeError } from '@edge/errors';
import type { Logger } from '@edge/log';
import type { OpContext, Progress } from '@edge/platform';
import { edgeproto } from '@edge/proto';
import type { InstInfos } from './infos';
import type { InstInfo, InstKind } from './kinds';
import { resetStatus, setStep, setTask, trackedStateCamel } from './status';
import { formatDuration } from './time-limits';

/** What every tracked operation needs. */
export interface OpDeps {
  readonly infos: InstInfos;
  readonly log: Logger;
  /** Aborted when the CRM stops: an interrupted operation reports nothing. */
  readonly stop: AbortSignal;
  /** Brackets infrastructure work; the resource snapshot is refreshed when the last one ends. */
  readonly resources: { begin(): void; end(): void };
}

const TS = edgeproto.TrackedState;

export type Verb = 'create' | 'update' | 'delete';

/**
 * Per operation: the state while running, on success and on failure, and the prefix of
 * the error text (`Create failed: …`).
 */
const VERBS: Record<
  Verb,
  {
    running: edgeproto.TrackedState;
    done: edgeproto.TrackedState;
    failed: edgeproto.TrackedState;
    failText: string;
  }
> = {
  create: { running: TS.CREATING, done: TS.READY, failed: TS.CREATE_ERROR, failText: 'Create failed' },
  update: { running: TS.UPDATING, done: TS.READY, failed: TS.UPDATE_ERROR, failText: 'Update failed' },
  delete: { running: TS.DELETING, done: TS.DELETE_DONE, failed: TS.DELETE_ERROR, failText: 'Delete failed' },
};

/** One operation on an instance. */
export interface OpSpec {
  readonly kind: InstKind;
  readonly key: string;
  /** The desired object (its key fills a new info). */
  readonly obj: edgeproto.ClusterInst | edgeproto.AppInst;
  /** Which operation: its states and error text come from `VERBS`. */
  readonly verb: Verb;
  readonly timeLimitMs: number;
  /**
   * The platform work. It may return a change to make to the final info (runtime, uri,
   * resources); throwing fails the operation.
   */
  work(ctx: OpContext): Promise<((info: InstInfo) => void) | void>;
}

/**
 * Runs a tracked operation as the original CRM reports it: the info goes to the running
 * state with its status reset and a task named after the state (`Creating`), the
 * platform's progress becomes further tasks and steps, and the end is the final state's
 * task (`Ready`) with the success state, or the error state's task (`CreateError`) with the
 * error `<failText>: <error>`. The operation is aborted at its time limit (an error like any
 * other) or when the CRM stops (then nothing is reported, and the error is rethrown).
 * Returns the state reported last.
 */
export async function runOp(deps: OpDeps, spec: OpSpec): Promise<edgeproto.TrackedState> {
  const { infos, log } = deps;
  const { kind, key } = spec;
  const verb = VERBS[spec.verb];
  const opLog = log.child({ [kind.name === 'AppInst' ? 'appInst' : 'clusterInst']: key });
  const base = kind.newInfo(spec.obj);
  const change = (fn: (info: InstInfo) => void): void => void infos.modify(kind, key, base, fn);
  change((info) => {
    info.state = verb.running;
    info.errors = [];
    info.status = resetStatus();
    setTask(info.status, trackedStateCamel(verb.running));
  });
  const progress: Progress = {
    task: (text) => change((info) => setTask(info.status ?? (info.status = resetStatus()), text)),
    step: (text) => change((info) => setStep(info.status ?? (info.status = resetStatus()), text)),
  };
  const limit = new AbortController();
  const timer = setTimeout(
    () =>
      limit.abort(
        new EdgeError(Code.DEADLINE_EXCEEDED, `timed out after ${formatDuration(spec.timeLimitMs)}`),
      ),
    spec.timeLimitMs,
  );
  const signal = AbortSignal.any([deps.stop, limit.signal]);
  deps.resources.begin();
  opLog.info({ state: trackedStateCamel(verb.running) }, 'operation started');
  try {
    // A platform that ignores the signal must not hold the key past its time limit.
    const finish = await untilAborted(spec.work({ progress, signal, log: opLog }), signal);
    change((info) => {
      finish?.(info);
      info.state = verb.done;
      setTask(info.status ?? (info.status = resetStatus()), trackedStateCamel(verb.done));
    });
    opLog.info({ state: trackedStateCamel(verb.done) }, 'operation done');
    return verb.done;
  } catch (err) {
    if (deps.stop.aborted) {
      opLog.info('operation interrupted by stop');
      throw err;
    }
    const text = `${verb.failText}: ${errorText(err)}`;
    change((info) => {
      setTask(info.status ?? (info.status = resetStatus()), trackedStateCamel(verb.failed));
      info.state = verb.failed;
      info.errors = [text];
    });
    opLog.warn({ err, state: trackedStateCamel(verb.failed) }, text);
    return verb.failed;
  } finally {
    clearTimeout(timer);
    deps.resources.end();
  }
}

/** Reports an error state without running anything (pre-check failures, inconsistent states). */
export function reportError(
  deps: Pick<OpDeps, 'infos' | 'log'>,
  kind: InstKind,
  key: string,
  obj: edgeproto.ClusterInst | edgeproto.AppInst,
  state: edgeproto.TrackedState,
  text: string,
  opts: { resetStatus?: boolean; appendError?: boolean } = {},
): void {
  deps.infos.modify(kind, key, kind.newInfo(obj), (info) => {
    if (opts.resetStatus || !info.status) info.status = resetStatus();
    setTask(info.status, trackedStateCamel(state));
    info.state = state;
    info.errors = opts.appendError ? [...info.errors, text] : [text];
  });
  deps.log.warn({ [kind.name]: key, state: trackedStateCamel(state) }, text);
}

/** The message of an error, as the original's `%s` of an error. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `p`, or a rejection with the signal's reason as soon as `signal` aborts. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([p, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
