import type { AuditEntry } from '../http/app';
import { redactRequest } from './redact';

/** One row of `audit_log`, as the batch insert takes it. */
export interface AuditRow {
  at: string;
  name: string;
  username: string;
  org: string;
  region: string;
  status: number;
  duration_ms: number;
  remote_ip: string;
  trace_id: string;
  request: unknown;
  error: string;
  tags: Record<string, string>;
}

/**
 * Whether the original leaves a request out of the audit log: shows and reads (paths
 * with `show`, `Show*` Controller calls, `user/current`, metrics, streams, events and
 * audit searches, report generation) unless they failed other than with 403.
 */
export function skipsAudit(path: string, status: number): boolean {
  const last = path.split('/').pop() ?? '';
  const isRead =
    path.includes('show') ||
    /^Show[A-Z]/.test(last) ||
    path.includes('/auth/user/current') ||
    path.includes('/auth/metrics/') ||
    path.includes('/ctrl/Stream') ||
    path.includes('/auth/audit/') ||
    path.includes('/auth/events/') ||
    path.includes('/auth/report/generate') ||
    path.includes('/auth/report/download');
  if (!isRead) return false;
  return status === 200 || status === 403;
}

/** The audit row of a finished request (request secrets removed); `now` is its end. */
export function auditRow(entry: AuditEntry, now: number): AuditRow {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry.tags))
    if (v !== undefined && k !== 'org' && k !== 'region') tags[k] = v;
  tags['method'] = 'POST';
  tags['remote-ip'] = entry.ip;
  tags['status'] = String(entry.status);
  tags['traceid'] = entry.traceId;
  if (entry.caller) {
    tags['username'] = entry.caller.username;
    if (entry.caller.email) tags['email'] = entry.caller.email;
    if (entry.caller.apiKeyId) tags['apikeyid'] = entry.caller.apiKeyId;
  }
  return {
    at: new Date(now - entry.durationMs).toISOString(),
    name: entry.name,
    username: entry.caller?.username ?? '',
    org: entry.tags.org ?? '',
    region: entry.tags.region ?? '',
    status: entry.status,
    duration_ms: entry.durationMs,
    remote_ip: entry.ip,
    trace_id: entry.traceId,
    request: entry.body === undefined ? null : redactRequest(entry.body),
    error: entry.error,
    tags,
  };
}
