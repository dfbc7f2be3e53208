import { create, type Message } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { AsyncQueue } from './async-queue';
import { followRecord } from './follow-record';
import type { StateDeps } from './state-deps';
import { cachedRecord } from './state-txn';
import { streamLabel } from './stream-record';

/**
 * StreamObjApi (StreamAppInst / StreamClusterInst / StreamCloudlet): attaches to the
 * object's current operation from any Controller of the region: replays the messages
 * recorded so far, then follows until the operation ends (its error is the stream's
 * error). `Stream <Type>StreamKey: {…} does not exist` when there is no record.
 */
export async function* streamObject(
  deps: StateDeps,
  typeName: string,
  key: Message,
): AsyncGenerator<edgeproto.Result> {
  const type = deps.reg.get(typeName);
  const keyJson = type.keyJson(create(type.schema, { key } as never));
  if (!cachedRecord(deps, typeName, keyJson))
    throw new EdgeError(Code.NOT_FOUND, `Stream ${streamLabel(typeName, keyJson)} does not exist`);
  const out = new AsyncQueue<edgeproto.Result>();
  const follow = followRecord(
    deps,
    typeName,
    keyJson,
    (e) => {
      if ('msg' in e) out.push(create(edgeproto.ResultSchema, { message: e.msg }));
      else if ('error' in e) out.fail(new EdgeError(Code.UNKNOWN, e.error));
    },
    () => out.end(),
  );
  try {
    yield* out;
  } finally {
    follow.stop();
  }
}
