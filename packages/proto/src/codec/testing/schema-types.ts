// Test support: every message type of a set of files and their dependencies.
import type { DescFile, DescMessage } from '@bufbuild/protobuf';

/** All message types (nested ones included) of `files` and everything they import. */
export function allMessageTypes(files: readonly DescFile[]): DescMessage[] {
  const seen = new Set<DescFile>();
  const out: DescMessage[] = [];
  const walk = (m: DescMessage): void => {
    out.push(m);
    m.nestedMessages.forEach(walk);
  };
  const visit = (f: DescFile): void => {
    if (seen.has(f)) return;
    seen.add(f);
    f.dependencies.forEach(visit);
    f.messages.forEach(walk);
  };
  files.forEach(visit);
  return out;
}
