import type { ArgsSpec } from './args';
import type { StructType } from './struct-type';

/** How a command's reply is read and shown. */
export type ReplyKind =
  /** `{"message": …}`: print the message. */
  | 'result'
  /** `{Message, TOTPSharedKey}` of user create/update: print both. */
  | 'userresponse'
  /** Any JSON value: print it in the output format. */
  | 'data';

/** One mcctl command: where it posts, how it reads arguments, how it shows the reply. */
export interface CommandDef {
  /** Command group (`appinst`), or undefined for a top-level command (`login`). */
  readonly group: string | undefined;
  readonly use: string;
  /** Other names accepted for the command. */
  readonly altUses?: readonly string[];
  readonly short: string;
  /** Description of the command's group, if the group has none in the shorts table. */
  readonly groupShort?: string;
  /** Path under `/api/v1`, e.g. `/auth/ctrl/CreateAppInst`. */
  readonly path: string;
  /** Argument parsing; undefined when the command takes no input. */
  readonly args: ArgsSpec | undefined;
  /** Optional argument names, for help. */
  readonly optional: readonly string[];
  /** none: one JSON reply; incremental: print each streamed item as it comes; collect: print all at the end. */
  readonly stream: 'none' | 'incremental' | 'collect';
  readonly reply: ReplyKind;
  /** Update commands: the embedded object whose `fields` are computed from the data given. */
  readonly update?: { readonly key: string; readonly type: StructType };
  /** Prompted for on a terminal when not given. */
  readonly password?: { readonly arg: string; readonly current?: string; readonly verify: boolean };
  /** Sent without a token. */
  readonly noAuth?: boolean;
  readonly special?: 'login';
}

/** A command group: `mcctl <name> <command>`. */
export interface GroupDef {
  readonly name: string;
  readonly short: string;
  readonly commands: CommandDef[];
}

/** Every command, by group, plus the top-level ones. */
export interface CommandTree {
  readonly groups: ReadonlyMap<string, GroupDef>;
  readonly top: readonly CommandDef[];
}

/** Assembles a tree from command lists (earlier definitions of the same group/use win). */
export function buildTree(
  commands: readonly CommandDef[],
  shorts: Readonly<Record<string, string>>,
): CommandTree {
  const groups = new Map<string, GroupDef>();
  const top: CommandDef[] = [];
  for (const c of commands) {
    if (c.group === undefined) {
      top.push(c);
      continue;
    }
    let g = groups.get(c.group);
    if (!g) {
      g = { name: c.group, short: shorts[c.group] ?? c.groupShort ?? `Manage ${c.group}`, commands: [] };
      groups.set(c.group, g);
    }
    if (!g.commands.some((x) => x.use === c.use)) g.commands.push(c);
  }
  return { groups, top };
}

/** Finds `<group> <use>` or a top-level `<use>`. */
export function findCommand(
  tree: CommandTree,
  group: string,
  use: string | undefined,
): CommandDef | GroupDef | undefined {
  const g = tree.groups.get(group);
  if (g) {
    if (use === undefined) return g;
    return g.commands.find((c) => c.use === use || c.altUses?.includes(use)) ?? g;
  }
  return tree.top.find((c) => c.use === group || c.altUses?.includes(group));
}
