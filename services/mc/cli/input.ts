import { parse as parseYaml } from 'yaml';
import { ArgsError, canonPath, lookupPath, parseArgs, resolveAlias, type JsonObject } from './args';
import type { CommandDef } from './command';
import { specifiedFields, toJsonNames } from './fields';
import type { PromptFn } from './prompt';

/** Where a command's input comes from. */
export interface InputSource {
  readonly args: readonly string[];
  /** --data, or the contents of --datafile (JSON or YAML). */
  readonly data: string | undefined;
  readonly prompt: PromptFn;
}

function parseData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (jsonErr) {
    try {
      return parseYaml(text) as unknown;
    } catch (yamlErr) {
      throw new ArgsError(
        `unable to unmarshal json or yaml data, ${(jsonErr as Error).message}, ${(yamlErr as Error).message}`,
      );
    }
  }
}

const given = (args: readonly string[], name: string, aliases: Readonly<Record<string, string>>): boolean =>
  args.some((a) => {
    const k = a.slice(0, Math.max(0, a.indexOf('=')));
    return k === name || canonPath(resolveAlias(k, aliases)) === canonPath(aliases[name] ?? name);
  });

async function askPassword(prefix: string, verify: boolean, prompt: PromptFn): Promise<string> {
  const label = `${prefix}password`;
  const pw = await prompt(`${label}: `);
  if (verify && (await prompt(`verify ${label}: `)) !== pw) throw new ArgsError("passwords don't match");
  return pw;
}

function setArg(dat: JsonObject, c: CommandDef, name: string, value: string): void {
  const spec = c.args;
  if (!spec) return;
  const path = resolveAlias(name, spec.aliases);
  const fields = lookupPath(spec.root, path);
  if (!fields) return;
  let cur = dat;
  for (const f of fields.slice(0, -1)) {
    const next = cur[f.json];
    cur = (typeof next === 'object' && next !== null ? next : (cur[f.json] = {})) as JsonObject;
  }
  cur[(fields[fields.length - 1] as { json: string }).json] = value;
}

/**
 * The JSON request body of a command: from --data/--datafile or from `name=value` args,
 * passwords prompted for when absent, and `fields` added to update requests.
 */
export async function buildBody(c: CommandDef, src: InputSource): Promise<JsonObject | undefined> {
  if (!c.args) {
    if (src.data !== undefined || src.args.length > 0) {
      throw new ArgsError(src.data !== undefined ? 'command does not accept input' : 'no arguments accepted');
    }
    return undefined;
  }
  let body: JsonObject;
  if (src.data !== undefined) {
    const parsed = toJsonNames(parseData(src.data), c.args.root);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ArgsError('input data must be an object');
    body = parsed as JsonObject;
  } else {
    body = parseArgs(src.args, c.args);
    const pw = c.password;
    const apiKeyGiven = c.special === 'login' && given(src.args, 'apikey', c.args.aliases);
    if (pw?.current && !given(src.args, pw.current, c.args.aliases)) {
      setArg(body, c, pw.current, await askPassword('current ', false, src.prompt));
    }
    if (pw && !apiKeyGiven && !given(src.args, pw.arg, c.args.aliases)) {
      setArg(body, c, pw.arg, await askPassword(pw.current ? 'new ' : '', pw.verify, src.prompt));
    }
  }
  const upd = c.update;
  const obj = upd ? body[upd.key] : undefined;
  if (upd && typeof obj === 'object' && obj !== null && !Array.isArray(obj)) {
    const o = obj as JsonObject;
    if (!Array.isArray(o['fields']) || o['fields'].length === 0) {
      delete o['fields'];
      const fields = specifiedFields(o, upd.type);
      if (fields.length > 0) o['fields'] = fields;
    }
  }
  return body;
}
