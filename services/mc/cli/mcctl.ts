#!/usr/bin/env tsx
/**
 * mcctl: the Master Controller's command-line client. `runMcctl` is the whole program,
 * driven in-process by tests; this file only binds it to the process.
 */
import { runMcctl } from './run';

export { runMcctl, type McctlDeps, type TextSink } from './run';
export { mcctlCommands } from './commands';

if (require.main === module) {
  void runMcctl(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
