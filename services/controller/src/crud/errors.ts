import { type Message } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import type { ObjectType } from '@edge/proto';

/**
 * The original names these errors after the key type, not the object: all three policy
 * kinds share PolicyKey, so each says `Policy key {…} not found`. String and map keys
 * (OperatorCode, Alert) use the object name.
 */
export function keyLabel(type: ObjectType): string {
  return type.keySchema ? type.keySchema.name.replace(/Key$/, '') : type.name;
}

/** `App key {"organization":"o","name":"a","version":"1"} not found` (NOT_FOUND). */
export function notFoundError(type: ObjectType, obj: Message): EdgeError {
  return new EdgeError(Code.NOT_FOUND, `${keyLabel(type)} key ${type.keyJson(obj)} not found`);
}

/** `App key {…} already exists` (ALREADY_EXISTS). */
export function existsError(type: ObjectType, obj: Message): EdgeError {
  return new EdgeError(Code.ALREADY_EXISTS, `${keyLabel(type)} key ${type.keyJson(obj)} already exists`);
}

/** `App {…} is being deleted` (FAILED_PRECONDITION): a delete of it is in progress. */
export function beingDeletedError(type: ObjectType, obj: Message): EdgeError {
  return new EdgeError(Code.FAILED_PRECONDITION, `${keyLabel(type)} ${type.keyJson(obj)} is being deleted`);
}
