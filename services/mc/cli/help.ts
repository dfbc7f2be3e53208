import type { CommandDef, CommandTree, GroupDef } from './command';

const LOCAL_SECTIONS: readonly (readonly [string, readonly string[]])[] = [
  [
    'User and Organization Commands',
    ['login', 'user', 'role', 'org', 'cloudletpoolinvitation', 'cloudletpoolresponse', 'cloudletpoolaccess'],
  ],
  ['Admin-Only Commands', ['controller', 'config', 'restrictedupdateuser', 'restrictedupdateorg']],
  ['Logs and Metrics Commands', ['metrics', 'events', 'alertreceiver']],
];

const pad = (names: readonly string[], min = 11): number => Math.max(min, ...names.map((n) => n.length + 2));

const GLOBAL_FLAGS = `
Flags:
      --addr string            MC address (default "http://127.0.0.1:9900")
      --data string            json formatted input data, alternative to name=val args list
      --datafile string        file containing json/yaml formatted input data, alternative to name=val args list
      --debug                  debug
      --output-format string   output format: yaml, json, json-compact or table (default "yaml")
      --skipverify             don't verify cert for TLS connections
      --token string           JWT token (default: $HOME/.mctoken)
`;

/** `mcctl --help`: every group and top-level command, by section. */
export function rootUsage(tree: CommandTree): string {
  const entries = new Map<string, string>();
  for (const c of tree.top) entries.set(c.use, c.short);
  for (const g of tree.groups.values()) entries.set(g.name, g.short);
  const width = pad([...entries.keys()]);
  const used = new Set<string>();
  let out = 'Usage: mcctl [command]\n';
  const section = (title: string, names: readonly string[]): void => {
    const present = names.filter((n) => entries.has(n));
    if (present.length === 0) return;
    out += `\n${title}\n`;
    for (const n of present) {
      used.add(n);
      out += `  ${n.padEnd(width)}${entries.get(n) ?? ''}\n`;
    }
  };
  for (const [title, names] of LOCAL_SECTIONS) section(title, names);
  section(
    'Region (Controller) Commands',
    [...entries.keys()].filter((n) => !used.has(n)),
  );
  return out + GLOBAL_FLAGS;
}

/** `mcctl <group> --help`: the group's commands. */
export function groupUsage(g: GroupDef): string {
  const width = pad(g.commands.map((c) => c.use));
  let out = `${g.short}\n\nUsage: mcctl ${g.name} [command]\n\nAvailable Commands:\n`;
  for (const c of g.commands) out += `  ${c.use.padEnd(width)}${c.short}\n`;
  return out;
}

/** `mcctl <group> <command> --help`: required and optional args. */
export function commandUsage(c: CommandDef): string {
  const name = c.group ? `${c.group} ${c.use}` : c.use;
  const required = c.args?.required ?? [];
  const width = pad([...required, ...c.optional], 0);
  let out = `${c.short}\n\nUsage: mcctl ${name} [flags] [args]\n`;
  if (required.length > 0) out += `\nRequired Args:\n${required.map((a) => `  ${a}\n`).join('')}`;
  if (c.optional.length > 0)
    out += `\nOptional Args:\n${c.optional.map((a) => `  ${a.padEnd(width)}\n`.replace(/ +\n$/, '\n')).join('')}`;
  return out;
}
