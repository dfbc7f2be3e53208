import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { ObjectRegistry, allFiles } from '@edge/proto';
import { ArgsError } from './args';
import { McClient, McError, insecureFetch, statusPrefix, type FetchFn } from './client';
import { findCommand, type CommandDef, type CommandTree } from './command';
import { mcctlCommands } from './commands';
import { FlagError, parseFlags, type GlobalFlags } from './flags';
import { commandUsage, groupUsage, rootUsage } from './help';
import { buildBody } from './input';
import { formatOutput } from './output';
import { ttyPrompt, type PromptFn } from './prompt';
import { readToken, writeAdminMarker, writeToken } from './token-file';

/** Something text can be written to (process.stdout, a test buffer). */
export interface TextSink {
  write(s: string): unknown;
}

/** Everything mcctl takes from its environment; tests pass their own. */
export interface McctlDeps {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Environment variables (`TOKEN` is read as the original does); default none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** HTTP transport; default global fetch (a TLS-lenient one with --skipverify). */
  readonly fetch?: FetchFn;
  /** Directory of `.mctoken`; default the user's home. */
  readonly home?: string;
  /** Password prompt; default a hidden prompt on the terminal. */
  readonly prompt?: PromptFn;
  /** Command tree; default built from @edge/proto's schema. */
  readonly commands?: CommandTree;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Runs one mcctl command line (without `node mcctl`); resolves to the exit code. */
export async function runMcctl(argv: readonly string[], deps: McctlDeps): Promise<number> {
  const out = (s: string): unknown => deps.stdout.write(s);
  try {
    const { flags, words } = parseFlags(argv);
    const tree = deps.commands ?? mcctlCommands(new ObjectRegistry(allFiles));
    const [first, second, ...rest] = words;
    if (first === undefined) {
      if (flags.help) {
        out(rootUsage(tree));
        return 0;
      }
      deps.stderr.write(rootUsage(tree));
      throw new UsageError('Please specify a command');
    }
    const found = findCommand(tree, first, second);
    if (!found) throw new UsageError(`unknown command "${first}" for "mcctl"`);
    if (!('path' in found)) {
      if (flags.help) {
        out(groupUsage(found));
        return 0;
      }
      deps.stderr.write(groupUsage(found));
      throw new UsageError(
        second === undefined
          ? 'Please specify a command'
          : `unknown command "${second}" for "mcctl ${first}"`,
      );
    }
    const args = found.group === undefined ? [second, ...rest].filter((w) => w !== undefined) : rest;
    if (flags.help) {
      out(commandUsage(found));
      return 0;
    }
    await execute(found, args, flags, deps);
    return 0;
  } catch (err) {
    deps.stderr.write(`Error: ${errorText(err)}\n`);
    return 1;
  }
}

function errorText(err: unknown): string {
  if (err instanceof McError) return err.status === 0 ? err.message : statusPrefix(err.status) + err.message;
  if (err instanceof ArgsError || err instanceof FlagError || err instanceof UsageError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

async function execute(
  c: CommandDef,
  args: readonly string[],
  flags: GlobalFlags,
  deps: McctlDeps,
): Promise<void> {
  const out = (s: string): unknown => deps.stdout.write(s);
  const home = deps.home ?? homedir();
  const data = flags.datafile !== undefined ? await readFile(flags.datafile, 'utf8') : flags.data;
  const body = await buildBody(c, { args, data, prompt: deps.prompt ?? ttyPrompt() });
  const token = flags.token ?? deps.env?.['TOKEN'] ?? (await readToken(home));
  const client = new McClient({
    addr: flags.addr,
    ...(token ? { token } : {}),
    fetch: deps.fetch ?? (flags.skipVerify ? insecureFetch : (url, init) => fetch(url, init)),
    ...(flags.debug ? { debug: (line: string) => out(`${line}\n`) } : {}),
  });
  const show = (v: unknown): void => {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) return;
    out(formatOutput(v, flags.outputFormat));
  };
  const auth = !c.noAuth;

  if (c.special === 'login') {
    const reply = (await client.post(c.path, body, false)) as Record<string, unknown> | undefined;
    if (flags.outputFormatSet) return show(reply);
    const tok = reply?.['token'];
    if (typeof tok !== 'string') throw new McError(0, 'login token not found in response');
    out('login successful\n');
    try {
      out(`token saved to ${await writeToken(home, tok)}\n`);
      await writeAdminMarker(home, reply?.['admin'] === true);
    } catch (err) {
      out(`warning, cannot save token file, ${(err as Error).message}\ntoken: ${tok}\n`);
    }
    return;
  }
  if (c.stream === 'incremental') {
    await client.stream(c.path, body, show, auth);
    return;
  }
  if (c.stream === 'collect') {
    const items: unknown[] = [];
    try {
      await client.stream(c.path, body, (d) => items.push(d), auth);
    } finally {
      show(items);
    }
    return;
  }
  const reply = await client.post(c.path, body, auth);
  const r = (reply ?? {}) as Record<string, unknown>;
  if (c.reply === 'result' && typeof r['message'] === 'string') {
    if (r['message'] !== '') out(`${r['message']}\n`);
  } else if (c.reply === 'userresponse' && typeof r['Message'] === 'string') {
    if (r['Message'] !== '')
      out(`${r['Message']}\n${typeof r['TOTPSharedKey'] === 'string' ? r['TOTPSharedKey'] : ''}\n`);
  } else {
    show(reply);
  }
}
