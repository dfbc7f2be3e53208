import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { dme } from './proto';

/** A device location: at least `{latitude, longitude}`; any other `Loc` field may be set. */
export type LocationInput = MessageInitShape<typeof dme.LocSchema>;

/** The `Loc` message of a location input. */
export function toLoc(location: LocationInput): dme.Loc {
  return create(dme.LocSchema, location);
}

/** A `Timestamp` of the DME protos for a JS time in milliseconds. */
export function toTimestamp(ms: number): dme.Timestamp {
  return create(dme.TimestampSchema, {
    seconds: BigInt(Math.floor(ms / 1000)),
    nanos: Math.floor((ms % 1000) * 1e6),
  });
}
