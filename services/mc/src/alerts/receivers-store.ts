import { invalidArgument } from '@edge/errors';
import type { Queryable } from '../db/db';
import { emptyReceiver, receiverOrg, type AlertReceiver } from './receivers-model';

interface Row {
  data: AlertReceiver;
}

/**
 * Alert receivers in PostgreSQL (`alert_receivers`), the source of truth the Alertmanager
 * file is generated from (the original kept them only in that file). Keyed like the
 * Alertmanager receiver name: (Name, User, Severity, Type).
 */
export const receiverStore = {
  /** Every receiver, oldest first. */
  async list(q: Queryable): Promise<AlertReceiver[]> {
    const rows = await q.query<Row>('SELECT data FROM alert_receivers ORDER BY created_at, name');
    return rows.map((r) => ({ ...emptyReceiver(), ...r.data }));
  },

  /** Adds one; an existing one with the same key is the original sidecar's conflict. */
  async insert(q: Queryable, r: AlertReceiver): Promise<void> {
    const rows = await q.query(
      `INSERT INTO alert_receivers (name, username, severity, type, org, data)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1`,
      [r.Name, r.User, r.Severity, r.Type, receiverOrg(r), JSON.stringify(r)],
    );
    if (rows.length === 0)
      throw invalidArgument('Unable to create a receiver - Receiver Exists - delete it first');
  },

  /** Removes one by key; false when there was none. */
  async remove(
    q: Queryable,
    key: Pick<AlertReceiver, 'Name' | 'User' | 'Severity' | 'Type'>,
  ): Promise<boolean> {
    const rows = await q.query(
      `DELETE FROM alert_receivers WHERE name = $1 AND username = $2 AND severity = $3 AND type = $4 RETURNING 1`,
      [key.Name, key.User, key.Severity, key.Type],
    );
    return rows.length > 0;
  },
};
