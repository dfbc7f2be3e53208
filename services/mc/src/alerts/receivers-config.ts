import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from '@edge/log';
import type { Queryable } from '../db/db';
import type { AlertmanagerApi } from './alertmanager-client';
import { receiverStore } from './receivers-store';
import { alertmanagerConfigYaml, type SmtpSettings } from './receivers-yaml';

/** Where the generated Alertmanager configuration goes. */
export interface ReceiverConfigOptions {
  /** The file Alertmanager reads (`--config.file`); empty = receivers are only stored. */
  readonly file: string;
  /** Told to reload after each write; undefined = nobody is told. */
  readonly am: AlertmanagerApi | undefined;
  readonly smtp: SmtpSettings;
  readonly log: Logger;
}

/**
 * Regenerates the Alertmanager configuration from the stored receivers and has
 * Alertmanager reload it (what the original's sidecar did per edit). Writes within one MC
 * are serialised; the file is replaced atomically (write + rename), and since every
 * replica renders the same sorted content from the same table, replicas agree.
 */
export class ReceiverConfigWriter {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ReceiverConfigOptions) {}

  /** Renders from `q` (pass the transaction's connection to include its changes), writes, reloads. */
  sync(q: Queryable): Promise<void> {
    const run = async (): Promise<void> => {
      if (!this.opts.file) return;
      const yaml = alertmanagerConfigYaml(await receiverStore.list(q), this.opts.smtp);
      const tmp = `${this.opts.file}.${process.pid}.tmp`;
      await writeFile(tmp, yaml, { mode: 0o600 });
      await rename(tmp, this.opts.file);
      await this.opts.am?.reload();
      this.opts.log.debug({ file: this.opts.file }, 'alertmanager configuration written');
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
