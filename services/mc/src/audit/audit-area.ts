import type { Logger } from '@edge/log';
import type { Db } from '../db/db';
import type { McArea } from '../mc';
import type { Authorizer } from '../rbac/authorizer';
import { auditRow, skipsAudit } from './audit-record';
import { AuditWriter, type AuditWriterOptions } from './audit-writer';
import { registerEventsRoutes } from './events-routes';

/** What the audit area needs. */
export interface AuditAreaDeps {
  readonly db: Db;
  readonly authorizer: Authorizer;
  readonly log: Logger;
  readonly now?: () => number;
  /** Writer tuning (queue bound, batch size, flush delay). */
  readonly writer?: Omit<AuditWriterOptions, 'db' | 'log'>;
}

/** The audit area and its writer (tests flush it). */
export interface AuditArea extends McArea {
  readonly writer: AuditWriter;
}

/**
 * The audit trail: every finished API request (but successful shows, as the original)
 * becomes an `audit_log` row, written in batches off the request path; `events/show`,
 * `events/find` and `events/terms` search it.
 */
export function createAuditArea(deps: AuditAreaDeps): AuditArea {
  const now = deps.now ?? Date.now;
  const writer = new AuditWriter({
    db: deps.db,
    log: deps.log.child({ component: 'audit' }),
    ...deps.writer,
  });
  return {
    writer,
    register: (routes) => registerEventsRoutes(routes, { db: deps.db, authorizer: deps.authorizer, now }),
    audit: (entry) => {
      if (skipsAudit(entry.name, entry.status)) return;
      try {
        writer.add(auditRow(entry, now()));
      } catch (err) {
        deps.log.warn({ err, name: entry.name }, 'audit record dropped');
      }
    },
    close: () => writer.close(),
  };
}
