import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `~/.mctoken`: the login token mcctl sends when `--token` is not given. */
export const tokenPath = (home: string): string => join(home, '.mctoken');
/** `~/.mcctl_admin`: present after an admin logs in; shows admin commands in help. */
export const adminPath = (home: string): string => join(home, '.mcctl_admin');

/** The saved token, or undefined if there is none. */
export async function readToken(home: string): Promise<string | undefined> {
  try {
    const t = (await readFile(tokenPath(home), 'utf8')).trim();
    return t === '' ? undefined : t;
  } catch {
    return undefined;
  }
}

/** Saves the token readable by its owner only (0600, also when the file existed). */
export async function writeToken(home: string, token: string): Promise<string> {
  const path = tokenPath(home);
  await writeFile(path, token, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

/** Records (or clears) the admin marker file. */
export async function writeAdminMarker(home: string, admin: boolean): Promise<void> {
  if (admin) await writeFile(adminPath(home), '', { mode: 0o600 });
  else await rm(adminPath(home), { force: true });
}
