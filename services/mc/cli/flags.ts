import { isOutputFormat, type OutputFormat } from './output';

/** Global flags of mcctl (the original's persistent cobra flags). */
export interface GlobalFlags {
  readonly addr: string;
  readonly token: string | undefined;
  readonly skipVerify: boolean;
  readonly outputFormat: OutputFormat;
  /** True when --output-format was given explicitly (login then prints the raw reply). */
  readonly outputFormatSet: boolean;
  readonly data: string | undefined;
  readonly datafile: string | undefined;
  readonly debug: boolean;
  readonly help: boolean;
}

/** A flag mcctl does not know or could not read; message as cobra words it. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
}

const BOOL_FLAGS = new Set(['skipverify', 'debug', 'help', 'parsable', 'output-stream', 'silence-usage']);
const VALUE_FLAGS = new Set(['addr', 'token', 'output-format', 'data', 'datafile']);

/** Default MC address. */
export const DEFAULT_ADDR = 'http://127.0.0.1:9900';

/** Separates global flags (anywhere on the line, `--f v` or `--f=v`) from positional words. */
export function parseFlags(argv: readonly string[]): { flags: GlobalFlags; words: string[] } {
  const values = new Map<string, string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-h') {
      values.set('help', 'true');
      continue;
    }
    if (!a.startsWith('--') || a === '--') {
      words.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (BOOL_FLAGS.has(name)) {
      values.set(name, eq < 0 ? 'true' : a.slice(eq + 1));
    } else if (VALUE_FLAGS.has(name)) {
      const v = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (v === undefined) throw new FlagError(`flag needs an argument: --${name}`);
      values.set(name, v);
    } else {
      throw new FlagError(`unknown flag: --${name}`);
    }
  }
  const format = values.get('output-format') ?? 'yaml';
  if (!isOutputFormat(format)) throw new FlagError(`invalid output format ${format}`);
  const bool = (n: string): boolean => ['true', '1', 't', 'TRUE', 'True'].includes(values.get(n) ?? 'false');
  return {
    flags: {
      addr: values.get('addr') ?? DEFAULT_ADDR,
      token: values.get('token'),
      skipVerify: bool('skipverify'),
      outputFormat: format,
      outputFormatSet: values.has('output-format'),
      data: values.get('data'),
      datafile: values.get('datafile'),
      debug: bool('debug'),
      help: bool('help'),
    },
    words,
  };
}
