import { EdgeError } from '@edge/errors';

/**
 * The EdgeError a call fails with; fails the test if the call succeeds or fails with
 * anything else. For asserting exact refusals (code and message).
 */
export async function rejection(call: Promise<unknown> | (() => Promise<unknown>)): Promise<EdgeError> {
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (err) {
    if (err instanceof EdgeError) return err;
    throw new Error(`expected an EdgeError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to be refused');
}
