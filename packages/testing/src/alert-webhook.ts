/**
 * A tiny HTTP receiver for Alertmanager webhook notifications, for tests that listen on
 * `testServers().amWebhookPort` (where the test Alertmanager sends every notification).
 */
import http from 'node:http';

/** One alert inside an Alertmanager webhook notification (payload version "4"). */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** The JSON body Alertmanager POSTs to a webhook receiver (payload version "4"). */
export interface WebhookPayload {
  readonly version: string;
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly WebhookAlert[];
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly groupKey: string;
  readonly truncatedAlerts: number;
}

/** A running webhook receiver; see {@link startAlertWebhook}. */
export interface AlertWebhook {
  /** Port it listens on. */
  readonly port: number;
  /** Every notification received so far, oldest first. */
  readonly payloads: readonly WebhookPayload[];
  /**
   * Resolves with the first notification (already received or future) matching `match`; rejects after
   * `timeoutMs` (default 15 s) with a summary of what did arrive, or when the receiver is closed.
   */
  waitFor(match: (payload: WebhookPayload) => boolean, timeoutMs?: number): Promise<WebhookPayload>;
  /** Stops listening and drops keep-alive connections; pending `waitFor` calls reject. */
  close(): Promise<void>;
}

/** True if `payload` carries an alert whose `alertname` label is `alertname` (and, if given, with `status`). */
export function hasAlert(
  payload: WebhookPayload,
  alertname: string,
  status?: 'firing' | 'resolved',
): boolean {
  return payload.alerts.some(
    (a) => a.labels['alertname'] === alertname && (status === undefined || a.status === status),
  );
}

interface Waiter {
  readonly match: (payload: WebhookPayload) => boolean;
  readonly resolve: (payload: WebhookPayload) => void;
  readonly reject: (err: Error) => void;
}

/** Starts a receiver on `host:port` accepting `POST /alerts` (any path is accepted) with JSON bodies. */
export async function startAlertWebhook(port: number, host = '127.0.0.1'): Promise<AlertWebhook> {
  const payloads: WebhookPayload[] = [];
  const waiters = new Set<Waiter>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let payload: WebhookPayload;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload;
      } catch {
        res.writeHead(400).end('bad json');
        return;
      }
      payloads.push(payload);
      res.writeHead(200).end('ok');
      for (const w of [...waiters]) {
        if (w.match(payload)) w.resolve(payload);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const summary = (): string =>
    payloads.length === 0
      ? 'no notifications received'
      : `received ${payloads.length}: ` +
        payloads
          .map((p) => `${p.status}[${p.alerts.map((a) => a.labels['alertname'] ?? '?').join(',')}]`)
          .join(' ');

  return {
    port,
    payloads,
    waitFor(match, timeoutMs = 15_000) {
      const found = payloads.find(match);
      if (found) return Promise.resolve(found);
      return new Promise<WebhookPayload>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching Alertmanager notification within ${timeoutMs} ms (${summary()})`));
        }, timeoutMs);
        const waiter: Waiter = {
          match,
          resolve: (p) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(p);
          },
          reject: (err) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            reject(err);
          },
        };
        waiters.add(waiter);
      });
    },
    async close() {
      for (const w of [...waiters]) w.reject(new Error('alert webhook closed'));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
