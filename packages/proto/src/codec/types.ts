import type { DescMessage, Message } from '@bufbuild/protobuf';
import type { Reader } from './reader';
import type { Writer } from './writer';

/** Writes the body of one message (no tag or length); throws on anything it cannot encode exactly. */
export type EncodeFn = (m: unknown, w: Writer) => void;

/**
 * Reads one message body into `m` (a fresh message when undefined) and returns it. The body ends
 * at `end` or, when `group` is a field number, at that group's end tag. `depth` is the nesting
 * depth protobuf-es checks against its recursion limit (1 for the outermost message).
 */
export type DecodeFn = (
  r: Reader,
  end: number,
  depth: number,
  m: Message | undefined,
  group: number,
) => Message;

/**
 * The compiled code of one message type. Both functions start as stubs that compile on first
 * call and replace themselves, so nested and recursive types compile lazily.
 */
export interface TypeEntry {
  readonly desc: DescMessage;
  enc: EncodeFn;
  dec: DecodeFn;
}

/** Finds (or creates) the entry of a message type; generated code calls its functions. */
export type Link = (desc: DescMessage) => TypeEntry;

/** protobuf-es's default recursion limit for binary reads. */
export const RECURSION_LIMIT = 100;
