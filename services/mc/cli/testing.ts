import type { FetchFn } from './client';
import { mcctlCommands } from './commands';
import { runMcctl, type McctlDeps } from './run';
import { ObjectRegistry, allFiles } from '@edge/proto';

/** One request a fake MC saw. */
export interface SeenRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** What one in-process mcctl run printed. */
export interface McctlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fetch answering every request with one JSON reply (status 200 unless given), recording requests. */
export function fakeFetch(reply: unknown, status = 200): { fetch: FetchFn; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetch: FetchFn = (url, init) => {
    seen.push({
      url,
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    return Promise.resolve(new Response(JSON.stringify(reply), { status }));
  };
  return { fetch, seen };
}

/**
 * Runs mcctl in-process with captured output (for tests and e2e): `deps` may give fetch,
 * home, prompt, env, commands (built from the schema when not given).
 */
export async function mcctl(argv: readonly string[], deps: Partial<McctlDeps> = {}): Promise<McctlResult> {
  let stdout = '';
  let stderr = '';
  const code = await runMcctl(argv, {
    env: {},
    prompt: () => Promise.reject(new Error('no terminal in tests')),
    ...deps,
    commands: deps.commands ?? mcctlCommands(new ObjectRegistry(allFiles)),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}
