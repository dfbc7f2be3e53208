import { readFile, rename, writeFile } from 'node:fs/promises';
import { silentLogger, type Logger } from '@edge/log';
import { exchangeAccessKey, type AccessKeyExchangeOptions } from './exchange-access-key';

/** Where the previous key is kept while an upgrade is under way (the original's name). */
export function backupKeyFile(keyFile: string): string {
  return `${keyFile}.backup`;
}

/** Reads a private key PEM file; throws when it is missing or holds no PEM. */
export async function readAccessKeyFile(file: string): Promise<string> {
  const pem = await readFile(file, 'utf8');
  if (!pem.includes('-----BEGIN')) throw new Error(`access key file ${file} holds no PEM key`);
  return pem;
}

/** Writes `pem` to `file` (mode 0600) through a temporary file and a rename. */
export async function writeAccessKeyFile(file: string, pem: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, pem, { mode: 0o600 });
  await rename(tmp, file);
}

/** Options of {@link upgradeAccessKeyFile}. */
export interface AccessKeyFileUpgradeOptions extends Omit<
  AccessKeyExchangeOptions,
  'privatePem' | 'store' | 'verifyOnly'
> {
  /** The private key file; a new key replaces it, the old one goes to `<file>.backup`. */
  readonly keyFile: string;
  readonly log?: Logger;
}

/**
 * A CRM's access key at start (the original's `AccessKeyClient.init` for a CRM): asks the
 * Controller to upgrade the key in `keyFile` (it issues a new one only when the cloudlet's
 * key is marked `crm_access_key_upgrade_required`, e.g. a one-time manifest key). A new key
 * is written to `keyFile` after the old one is moved to `<keyFile>.backup`.
 *
 * If the exchange fails with the primary key, the backup is tried: the Controller may
 * never have received the ack of an earlier upgrade and still know only the old key; a
 * backup that is accepted without an upgrade becomes the primary file again. Returns the
 * key to sign with from now on.
 */
export async function upgradeAccessKeyFile(opts: AccessKeyFileUpgradeOptions): Promise<{
  privatePem: string;
  upgraded: boolean;
}> {
  const log = (opts.log ?? silentLogger()).child({ component: 'access-key' });
  const { keyFile } = opts;
  const backup = backupKeyFile(keyFile);
  const attempt = async (pem: string, isBackup: boolean): Promise<boolean> => {
    const result = await exchangeAccessKey({
      ...opts,
      privatePem: pem,
      store: async (next) => {
        // Keep the old key until the Controller has committed the new one.
        if (!isBackup) await rename(keyFile, backup).catch(() => undefined);
        await writeAccessKeyFile(keyFile, next);
      },
    });
    return result.upgraded;
  };

  let primaryError: unknown;
  try {
    const upgraded = await attempt(await readAccessKeyFile(keyFile), false);
    log.info({ upgraded, keyFile }, upgraded ? 'access key upgraded' : 'access key upgrade not needed');
    return { privatePem: await readAccessKeyFile(keyFile), upgraded };
  } catch (err) {
    primaryError = err;
    log.info({ err, keyFile }, 'access key upgrade failed, trying the backup key');
  }
  let backupPem: string;
  try {
    backupPem = await readAccessKeyFile(backup);
  } catch {
    throw primaryError;
  }
  try {
    const upgraded = await attempt(backupPem, true);
    if (!upgraded) {
      log.info({ keyFile }, 'backup access key is valid, restoring it');
      await rename(backup, keyFile);
    }
    return { privatePem: await readAccessKeyFile(keyFile), upgraded };
  } catch (err) {
    // An interrupted upgrade may have been committed after all: the new key is the one.
    log.info({ err, keyFile }, 'backup access key refused, trying the primary key again');
  }
  try {
    const upgraded = await attempt(await readAccessKeyFile(keyFile), false);
    return { privatePem: await readAccessKeyFile(keyFile), upgraded };
  } catch {
    throw primaryError;
  }
}
