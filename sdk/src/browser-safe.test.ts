// The browser entry must not load Node-only modules: walks every import reachable from
// src/index.ts (relative files and @edge/* workspace sources) and checks the packages.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const repo = resolve(__dirname, '../..');
const ALLOWED_PACKAGES = [/^@bufbuild\/protobuf(\/codegenv2|\/wkt)?$/];

function resolveFile(spec: string, from: string): string | undefined {
  let base: string;
  if (spec.startsWith('.')) base = resolve(dirname(from), spec);
  else if (spec.startsWith('@edge/')) {
    const [, pkg, ...rest] = spec.split('/');
    const root = ['sdk'].includes(pkg ?? '') ? join(repo, 'sdk') : join(repo, 'packages', pkg ?? '');
    base = rest.length > 0 ? join(root, ...rest) : join(root, 'src/index');
  } else return undefined;
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

function reachable(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]/g)) {
      if (m[1]) continue; // type-only imports vanish at run time
      const spec = m[2] as string;
      const next = resolveFile(spec, file);
      if (next) todo.push(next);
      else packages.set(spec, file);
    }
  }
  return { files, packages };
}

describe('the browser entry (src/index.ts)', () => {
  it('loads no Node-only module, no grpc-js and no @edge/rpc', () => {
    const { files, packages } = reachable(join(repo, 'sdk/src/index.ts'));
    const bad = [...packages].filter(([spec]) => !ALLOWED_PACKAGES.some((re) => re.test(spec)));
    expect(bad).toEqual([]);
    expect([...files].some((f) => f.includes('/packages/rpc/'))).toBe(false);
    expect([...files].some((f) => f.endsWith('sdk/src/grpc-transport.ts'))).toBe(false);
  });

  it('while the Node entry does bring the gRPC transport', () => {
    const { packages } = reachable(join(repo, 'sdk/src/node.ts'));
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['node:net']));
  });
});
