/** A row read back from `audit_log`. */
export interface AuditLogRow {
  at: Date;
  name: string;
  org: string;
  region: string;
  error: string;
  status: number;
  duration_ms: number;
  request: unknown;
  tags: Record<string, string>;
}

/** The original's `node.EventData` as `events/show` answers it (tags folded into `mtags`). */
export interface EventData {
  name: string;
  org: string[];
  type: 'audit';
  region?: string;
  timestamp: string;
  error?: string;
  mtags: Record<string, string>;
}

/** An audit row as an event: `org` a list, `mtags` with the request (JSON text) and duration. */
export function toEventData(r: AuditLogRow): EventData {
  const mtags: Record<string, string> = { ...r.tags };
  if (r.request !== null && r.request !== undefined) mtags['request'] = JSON.stringify(r.request);
  mtags['duration'] = `${Number(r.duration_ms.toFixed(3))}ms`;
  return {
    name: r.name,
    org: r.org ? [r.org] : [],
    type: 'audit',
    ...(r.region ? { region: r.region } : {}),
    timestamp: r.at.toISOString(),
    ...(r.error ? { error: r.error } : {}),
    mtags,
  };
}
