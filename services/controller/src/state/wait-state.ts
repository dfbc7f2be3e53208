import type { Message } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import type { StateDeps } from './state-deps';
import { cachedRecord } from './state-txn';
import { streamPath } from './stream-record';

/** What to wait for (the original's `WaitFor<Obj>Info` arguments). */
export interface WaitSpec {
  /** The object whose state decides: `AppInst`, `ClusterInst` or `CloudletInfo`. */
  readonly watchType: string;
  readonly keyJson: string;
  /** Type name of the stream record the CRM's reports go to (`Cloudlet` for CloudletInfo). */
  readonly recordType: string;
  readonly op: string;
  readonly target: number;
  readonly errorState: number;
  /** States in which the CRM is still busy: a timeout there is not an error. */
  readonly transitions: readonly number[];
  /** Idle time allowed between CRM reports. */
  readonly timeoutMs: number;
  /** Decide only once the CRM reported during this operation (a stored CloudletInfo may be old). */
  readonly requireReport: boolean;
  /** The deciding state of the watched object (undefined object = deleted). */
  stateOf(obj: Message | undefined): number | undefined;
  errorsOf(obj: Message | undefined): readonly string[];
  /** The original's CamelName of a state, e.g. `Ready`, `CloudletStateReady`. */
  camel(state: number): string;
  /** `ShowAppInst`, named in the in-progress timeout message. */
  readonly showCmd: string;
}

/** How a wait ended. */
export type WaitOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'in-progress'; readonly message: string }
  | { readonly kind: 'error'; readonly error: EdgeError };

/**
 * Waits until the watched object reaches the target or error state, following the object
 * in this Controller's cache and the CRM's reports in the stream record (both change in
 * one transaction, whichever Controller received the info). As the original, the timeout
 * restarts with every report; on timeout a CRM still in a transition state is not an
 * error (`Timed out while work still in progress state …`), anything else is
 * (`Timed out; expected state … but is …`, naming the state the CRM last reported).
 */
export function waitForState(deps: StateDeps, spec: WaitSpec): Promise<WaitOutcome> {
  const cache = deps.regionCache.type(spec.watchType);
  return new Promise<WaitOutcome>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const crmState = (): number | undefined => {
      const r = cachedRecord(deps, spec.recordType, spec.keyJson);
      return r?.op === spec.op ? r.crmState : undefined;
    };
    const finish = (o: WaitOutcome): void => {
      if (done) return;
      done = true;
      offObj();
      offRec();
      if (timer) clearTimeout(timer);
      resolve(o);
    };
    const evaluate = (): void => {
      if (spec.requireReport && crmState() === undefined) return;
      const obj = cache.get(spec.keyJson);
      const state = spec.stateOf(obj);
      if (state === spec.target) finish({ kind: 'ok' });
      else if (state === spec.errorState)
        finish({
          kind: 'error',
          error: new EdgeError(Code.UNKNOWN, `Encountered failures: ${spec.errorsOf(obj).join(', ')}`),
        });
    };
    const timedOut = (): void => {
      const cur = crmState() ?? 0;
      if (spec.transitions.includes(cur)) {
        finish({
          kind: 'in-progress',
          message: `Timed out while work still in progress state ${spec.camel(cur)}. Please use ${spec.showCmd} to check current status`,
        });
      } else {
        finish({
          kind: 'error',
          error: new EdgeError(
            Code.DEADLINE_EXCEEDED,
            `Timed out; expected state ${spec.camel(spec.target)} but is ${spec.camel(cur)}`,
          ),
        });
      }
    };
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(timedOut, spec.timeoutMs);
    };
    const offObj = cache.onChange((c) => {
      if (c.keyJson === spec.keyJson) evaluate();
    });
    const recPath = streamPath(spec.recordType, spec.keyJson);
    const offRec = deps.regionCache.onRaw(recPath, (c) => {
      if (c.key !== `${deps.region}/${recPath}`) return;
      arm();
      evaluate();
    });
    arm();
    evaluate();
  });
}
