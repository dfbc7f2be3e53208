import { getOption, type DescMessage } from '@bufbuild/protobuf';
import { options, type ObjectRegistry, type RpcInfo } from '@edge/proto';
import { canonPath } from './args';
import type { CommandDef } from './command';
import { isStruct, localStruct, protoArgName, protoStructs, type StructType } from './struct-type';

/** Key leaves the CLI leaves optional on create/delete although they are part of the key. */
const OPTIONAL_KEY_LEAVES: Readonly<Record<string, readonly string[]>> = {
  // An AppInst without a cluster gets an auto cluster (the original makes both optional).
  AppInst: ['key.clusterinstkey.clusterkey.name', 'key.clusterinstkey.organization'],
};
/** Key leaves never required: a federated cloudlet's partner org is empty for local cloudlets. */
const NEVER_REQUIRED = new Set(['federatedorganization']);
const MAX_DEPTH = 6;

interface Leaf {
  /** Canonical path relative to the request object (`key.appkey.name`, `configs:#.kind`, `configs:empty`). */
  readonly path: string;
  readonly backend: boolean;
}

/** Every argument path of a structure, as the original lists them (lists of structs as `x:#.y`). */
function leaves(t: StructType, prefix = '', seen: readonly string[] = [], backend = false): Leaf[] {
  const out: Leaf[] = [];
  for (const f of t.fields()) {
    const path = prefix + f.arg;
    const be = backend || f.backend;
    if (isStruct(f.type) && f.shape !== 'map') {
      if (f.type.name === t.name || seen.includes(f.type.name) || seen.length >= MAX_DEPTH) continue;
      if (f.shape === 'list') out.push({ path: `${path}:empty`, backend: be });
      const sep = f.shape === 'list' ? ':#.' : '.';
      out.push(...leaves(f.type, path + sep, [...seen, t.name], be));
    } else if (!isStruct(f.type)) {
      if (f.shape !== 'single') out.push({ path: `${path}:empty`, backend: be });
      out.push({ path, backend: be });
    }
  }
  return out;
}

/** The schema's CLI aliases re-based onto the request message (which may embed the object or its key). */
function objectAliases(rpc: RpcInfo): Record<string, string> {
  const obj = rpc.object;
  const input = rpc.method.input;
  if (!obj) return {};
  const out: Record<string, string> = {};
  const rebase = (path: string): string | undefined => {
    if (input.typeName === obj.typeName) return path;
    if (!path.startsWith('key.') || !obj.keySchema) return undefined;
    const rest = path.slice('key.'.length);
    if (input.typeName === obj.keySchema.typeName) return rest;
    const holder = input.fields.find(
      (f) => f.fieldKind === 'message' && f.message.typeName === obj.keySchema?.typeName,
    );
    return holder ? `${holder.name}.${rest}` : undefined;
  };
  for (const [alias, path] of Object.entries(obj.cliAliases)) {
    const p = rebase(path);
    if (p !== undefined) out[alias] = canonPath(p);
  }
  return out;
}

/** Canonical paths of the leaves create/delete require: the object's key, `required` fields, or a key request. */
function requiredLeaves(rpc: RpcInfo, all: readonly Leaf[]): string[] {
  const input = rpc.method.input;
  const obj = rpc.object;
  const isKeyInput = input.fields.length > 0 && obj?.keySchema?.typeName === input.typeName;
  const roots = input.fields
    .filter(
      (f) =>
        isKeyInput ||
        getOption(f, options.required) ||
        (obj?.typeName === input.typeName && obj.keyField?.name === f.name),
    )
    .map((f) => protoArgName(f.name));
  const optional = (obj && obj.typeName === input.typeName && OPTIONAL_KEY_LEAVES[obj.name]) || [];
  return all
    .map((l) => l.path)
    .filter((p) => !p.includes(':'))
    .filter((p) => roots.some((r) => p === r || p.startsWith(`${r}.`)))
    .filter((p) => !NEVER_REQUIRED.has(p.split('.').pop() ?? '') && !optional.includes(p));
}

function groupOf(rpc: RpcInfo): { group: string; use: string } {
  if (rpc.cliVerb === 'stream') return { group: 'streamobj', use: rpc.name.toLowerCase() };
  return { group: (rpc.object?.name ?? rpc.method.input.name).toLowerCase(), use: rpc.cliVerb };
}

/** The mcctl command of one Controller RPC, or undefined for RPCs without a CLI verb. */
export function ctrlCommand(rpc: RpcInfo, structOf: (d: DescMessage) => StructType): CommandDef | undefined {
  if (!rpc.cliVerb) return undefined;
  const input = rpc.method.input;
  const objKey = input.name.toLowerCase();
  const inputType = structOf(input);
  const root = localStruct(`Region${input.name}`, { region: 'string', [objKey]: inputType });
  const isShow = rpc.name.startsWith('Show');
  const isUpdate = rpc.cliVerb === 'update';
  const all = leaves(inputType);

  const aliases: Record<string, string> = {};
  for (const l of all) aliases[l.path] = `${objKey}.${l.path}`;
  const named = objectAliases(rpc);
  const display = new Map<string, string>();
  for (const [alias, path] of Object.entries(named)) {
    aliases[alias] = `${objKey}.${path}`;
    display.set(path, alias);
  }
  const shown = (p: string): string => display.get(p) ?? p;

  const required = isShow ? [] : requiredLeaves(rpc, all);
  const rejectBackend = rpc.cliVerb === 'create' || isUpdate;
  const optional = all
    .filter((l) => !required.includes(l.path) && !/^fields(:|$)/.test(l.path))
    .filter((l) => isShow || !rejectBackend || !l.backend)
    .filter((l) => isUpdate || !l.path.endsWith(':empty'))
    .map((l) => shown(l.path));
  const { group, use } = groupOf(rpc);
  const streaming = rpc.method.methodKind === 'server_streaming';
  const hasFields = input.fields.some((f) => f.name === 'fields');
  return {
    group,
    use,
    short: `${rpc.name} (Controller API)`,
    groupShort: `Manage ${rpc.object?.name ?? rpc.method.input.name}s`,
    path: `/auth/ctrl/${rpc.name}`,
    args: {
      root,
      required: ['region', ...required.map(shown)],
      aliases,
      rejectBackend,
    },
    optional,
    stream: streaming ? (rpc.streamProgress ? 'incremental' : 'collect') : 'none',
    reply: 'data',
    ...(isUpdate && hasFields ? { update: { key: objKey, type: inputType } } : {}),
  };
}

/** mcctl commands of every Controller RPC of the registry that has a CLI verb. */
export function ctrlCommands(reg: ObjectRegistry): CommandDef[] {
  const structOf = protoStructs();
  return reg
    .allRpcs()
    .map((rpc) => ctrlCommand(rpc, structOf))
    .filter((c): c is CommandDef => c !== undefined);
}
