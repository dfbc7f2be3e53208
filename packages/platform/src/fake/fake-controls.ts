import { Code, EdgeError } from '@edge/errors';

/** Operations of the fake platform that can be delayed or made to fail. */
export type FakeOp =
  | 'init'
  | 'gatherCloudletInfo'
  | 'createClusterInst'
  | 'updateClusterInst'
  | 'deleteClusterInst'
  | 'createAppInst'
  | 'updateAppInst'
  | 'deleteAppInst';

/** Milliseconds an operation takes, by operation. */
export type FakeDelays = Partial<Record<FakeOp, number>>;
/** Error text an operation fails with, by operation (EdgeError UNKNOWN with exactly this message). */
export type FakeFailures = Partial<Record<FakeOp, string>>;

/**
 * Delays and injected failures of a fake platform, changeable while it runs: tests keep a
 * handle (pass it as `controls` when the platform is built elsewhere, e.g. inside a CRM)
 * and flip failures on and off between steps.
 */
export class FakeControls {
  private readonly delays = new Map<FakeOp, number>();
  private readonly failures = new Map<FakeOp, string>();

  constructor(init: { delays?: FakeDelays; failures?: FakeFailures } = {}) {
    this.set(init);
  }

  /** Merges delays and failures; `undefined` for an operation clears it. */
  set(change: { delays?: FakeDelays; failures?: FakeFailures }): void {
    for (const [op, ms] of Object.entries(change.delays ?? {}) as [FakeOp, number | undefined][]) {
      this.setDelay(op, ms);
    }
    for (const [op, text] of Object.entries(change.failures ?? {}) as [FakeOp, string | undefined][]) {
      this.setFailure(op, text);
    }
  }

  /** Sets (or with `undefined` clears) how long `op` takes. */
  setDelay(op: FakeOp, ms: number | undefined): void {
    if (ms === undefined || ms <= 0) this.delays.delete(op);
    else this.delays.set(op, ms);
  }

  /** Sets (or with `undefined` clears) the error `op` fails with. */
  setFailure(op: FakeOp, text: string | undefined): void {
    if (text === undefined) this.failures.delete(op);
    else this.failures.set(op, text);
  }

  /** Clears all delays and failures. */
  reset(): void {
    this.delays.clear();
    this.failures.clear();
  }

  delayOf(op: FakeOp): number {
    return this.delays.get(op) ?? 0;
  }

  /** The injected failure of `op` as an EdgeError, if any. */
  failureOf(op: FakeOp): EdgeError | undefined {
    const text = this.failures.get(op);
    return text === undefined ? undefined : new EdgeError(Code.UNKNOWN, text);
  }
}
