import { type z } from 'zod';
import { Code, EdgeError } from '@edge/errors';

/** Where a process's options come from, lowest priority first. */
export interface ConfigSources {
  /** Environment, read as `<envPrefix><FIELD_IN_UPPER_SNAKE>` (e.g. EDGE_NOTIFY_ADDR for notifyAddr). */
  env?: Record<string, string | undefined>;
  envPrefix?: string;
  /** Command-line flags: `--notifyAddr=127.0.0.1:50001` or `--notifyAddr 127.0.0.1:50001`. */
  argv?: readonly string[];
  /** Values set in code (tests, dev launcher); highest priority. */
  overrides?: Record<string, unknown>;
}

function envName(prefix: string, field: string): string {
  return prefix + field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function parseArgv(argv: readonly string[], known: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--'))
      throw new EdgeError(Code.INVALID_ARGUMENT, `invalid configuration: unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (!known.has(name))
      throw new EdgeError(Code.INVALID_ARGUMENT, `invalid configuration: unknown option "--${name}"`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined)
      throw new EdgeError(Code.INVALID_ARGUMENT, `invalid configuration: --${name}: missing value`);
    out[name] = value;
  }
  return out;
}

/**
 * Resolves a process's options in stages — user input (env, then flags, then
 * overrides) → schema defaults → validated result — and fails at start with an
 * INVALID_ARGUMENT error naming the field, e.g.
 * `invalid configuration: notifyAddr: expected host:port, got "nowhere"`.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, sources: ConfigSources = {}): z.infer<S> {
  const fields = Object.keys(schema.shape);
  const input: Record<string, unknown> = {};
  const prefix = sources.envPrefix ?? 'EDGE_';
  for (const f of fields) {
    const v = sources.env?.[envName(prefix, f)];
    if (v !== undefined && v !== '') input[f] = v;
  }
  Object.assign(input, parseArgv(sources.argv ?? [], new Set(fields)), sources.overrides ?? {});
  const result = schema.strict().safeParse(input);
  if (result.success) return result.data as z.infer<S>;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const what =
    issue?.code === 'unrecognized_keys' ? `unknown option "${issue.keys.join('", "')}"` : issue?.message;
  throw new EdgeError(
    Code.INVALID_ARGUMENT,
    `invalid configuration: ${path ? `${path}: ` : ''}${what ?? 'invalid'}`,
  );
}
