import type { PostableAlert } from './alert-labels';

/** The few Alertmanager HTTP calls the MC makes. */
export interface AlertmanagerApi {
  /** `POST /api/v2/alerts`. */
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  /** `POST /-/reload`: re-read the configuration file. */
  reload(): Promise<void>;
}

/** Thrown when Alertmanager answers a non-2xx status. */
export class AlertmanagerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AlertmanagerError';
  }
}

/** Alertmanager at `baseUrl` (e.g. `http://127.0.0.1:9093`); every call times out after `timeoutMs`. */
export function alertmanagerClient(baseUrl: string, timeoutMs = 10_000): AlertmanagerApi {
  const base = baseUrl.replace(/\/+$/, '');
  const call = async (path: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'MasterControllerV1' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.status < 200 || res.status >= 300)
      throw new AlertmanagerError(res.status, `alertmanager ${path}: ${res.status} ${text.trim()}`);
  };
  return {
    postAlerts: (alerts) => call('/api/v2/alerts', alerts),
    reload: () => call('/-/reload'),
  };
}
