import type { EdgeError } from '@edge/errors';

/** The error a call fails with; fails the test if it succeeds. For asserting exact refusals. */
export async function rejection(call: Promise<unknown> | (() => Promise<unknown>)): Promise<EdgeError> {
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (e) {
    return e as EdgeError;
  }
  throw new Error('expected the call to be refused');
}
