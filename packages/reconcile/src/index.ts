export { backoffDelay, type BackoffOptions } from './backoff';
export { diffKeys, type KeyDiff } from './diff-keys';
export { TerminalError } from './errors';
export {
  Reconciler,
  type ReconcileFn,
  type ReconcileResult,
  type ReconcilerOptions,
  type ReconcilerStats,
  type StopOptions,
} from './reconciler';
export { WorkQueue } from './work-queue';
