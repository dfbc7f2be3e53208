import { create, equals, type DescMessage, type Message } from '@bufbuild/protobuf';
import type { EdgeError } from '@edge/errors';
import type { ControllerHarness } from './harness';

/** One stored fixture: object type name, its schema, its fields. */
export type Fixture = [string, DescMessage, Record<string, unknown>];

/** Writes fixtures straight into the store (bypassing rules), for API tests. */
export async function seed(h: ControllerHarness, ...objs: Fixture[]): Promise<void> {
  await h.ctrl.store.apply(async (tx) => {
    for (const [type, schema, init] of objs) tx.put(h.reg.get(type), create(schema, init));
  });
}

/** The cached instance with the key of `init`, if any. */
export function stored<T extends Message>(
  h: ControllerHarness,
  type: string,
  schema: DescMessage,
  init: Record<string, unknown>,
): T | undefined {
  return h.ctrl.view.get<T>(h.reg.get(type), create(schema, init));
}

/**
 * The error `call` fails with, after checking that the object named by `watch` is the
 * same afterwards as before (a refusal writes nothing).
 */
export async function refusal(
  h: ControllerHarness,
  watch: Fixture,
  call: () => Promise<unknown>,
): Promise<EdgeError> {
  const [type, schema, init] = watch;
  const before = stored(h, type, schema, init);
  let err: EdgeError | undefined;
  try {
    await call();
  } catch (e) {
    err = e as EdgeError;
  }
  if (!err) throw new Error('expected the call to be refused');
  const after = stored(h, type, schema, init);
  if (before === undefined ? after !== undefined : after === undefined || !equals(schema, before, after))
    throw new Error(`${type} changed by a refused call`);
  return err;
}
