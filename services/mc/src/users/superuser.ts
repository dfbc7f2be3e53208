import type { Logger } from '@edge/log';
import { checkPasswordStrength, crackTimeSec, newPasshash } from '../auth/passwords';
import type { ConfigStore } from '../config-api/config-store';
import type { Db } from '../db/db';

/**
 * Creates the superuser from `superuser`/`superpass` when it does not exist (email
 * verified, global AdminManager), as the original's InitAdmin; its password must meet
 * the admin strength bar. Without a password nothing is created (no built-in default).
 */
export async function ensureSuperuser(
  deps: { db: Db; configs: ConfigStore; log: Logger; now: () => number },
  name: string,
  password: string,
): Promise<void> {
  if (!name || !password) return;
  const cfg = await deps.configs.get();
  const crack = crackTimeSec(password);
  checkPasswordStrength(crack, cfg.AdminPasswordMinCrackTimeSec);
  const hash = await newPasshash(password);
  const created = await deps.db.tx(async (q) => {
    const rows = await q.query(
      `INSERT INTO users (name, email, email_verified, passhash, salt, iter, given_name, family_name, nickname,
         pass_crack_time_sec, created_at, updated_at)
       VALUES ($1, $2, true, $3, $4, $5, $1, $1, $1, $6, $7, $7)
       ON CONFLICT DO NOTHING RETURNING name`,
      [name, `${name}@mobiledgex.net`, hash.passhash, hash.salt, hash.iter, crack, new Date(deps.now())],
    );
    await q.query(
      `INSERT INTO role_assignments (org, subject, role) VALUES ('', $1, 'AdminManager') ON CONFLICT DO NOTHING`,
      [name],
    );
    return rows.length > 0;
  });
  if (created) deps.log.info({ user: name }, 'superuser created');
}
