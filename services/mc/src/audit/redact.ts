/**
 * Request fields never written to the audit log, compared case- and separator-insensitively
 * (`api_key` = `ApiKey`): login and account secrets (password, passhash, totp, the TOTP
 * shared key, API keys and their hashes, tokens), alert receiver secrets (Slack webhook,
 * PagerDuty key, webhook URL — these URLs carry their tokens) and the original's other
 * scrubbed fields (cloudlet access vars, GPU driver license config and build credentials).
 */
export const REDACTED_FIELDS: ReadonlySet<string> = new Set([
  'password',
  'passhash',
  'newpassword',
  'currentpassword',
  'totp',
  'totpsharedkey',
  'apikey',
  'apikeyhash',
  'token',
  'slackwebhook',
  'pagerdutyintegrationkey',
  'webhookurl',
  'accessvars',
  'licenseconfig',
  'driverpathcreds',
]);

const norm = (key: string): string => key.replace(/[-_]/g, '').toLowerCase();

/** A copy of a JSON request body without the {@link REDACTED_FIELDS}, at any depth. */
export function redactRequest(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactRequest);
  if (body === null || typeof body !== 'object') return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (REDACTED_FIELDS.has(norm(k))) continue;
    out[k] = redactRequest(v);
  }
  return out;
}
