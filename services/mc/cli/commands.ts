import type { ObjectRegistry } from '@edge/proto';
import { buildTree, type CommandTree } from './command';
import { ctrlCommands } from './ctrl-commands';
import { GROUP_SHORTS, localCommands } from './local-commands';

/**
 * The whole mcctl command tree: MC-local commands from the table, one command per
 * Controller RPC with a CLI verb from the schema. A local command wins over a
 * Controller one of the same group and name (`controller show` lists regions).
 */
export function mcctlCommands(reg: ObjectRegistry): CommandTree {
  return buildTree([...localCommands(), ...ctrlCommands(reg)], GROUP_SHORTS);
}
