import type { Logger } from '@edge/log';
import type { ObjectRegistry } from '@edge/proto';
import type { McConfig } from '../config';
import type { Db } from '../db/db';
import type { McArea } from '../mc';
import type { Authorizer } from '../rbac/authorizer';
import { AlertPusher } from './alert-pusher';
import { alertmanagerClient } from './alertmanager-client';
import { RegionAlertFeeds, type RegionRow } from './region-alert-feeds';
import { ReceiverConfigWriter } from './receivers-config';
import { registerReceiverRoutes } from './receivers-routes';

/** What the alerts area needs. */
export interface AlertsAreaDeps {
  readonly config: McConfig;
  readonly db: Db;
  readonly reg: ObjectRegistry;
  readonly authorizer: Authorizer;
  readonly log: Logger;
  readonly now?: () => number;
  /** Between two reads of the `controllers` table; default 5 s. */
  readonly regionPollMs?: number;
}

/** The alerts area plus its parts, for tests. */
export interface AlertsArea extends McArea {
  /** Undefined when no Alertmanager is configured (alerts are then not followed). */
  readonly feeds: RegionAlertFeeds | undefined;
  readonly pusher: AlertPusher | undefined;
}

/** Reads the region list for the alert feeds. */
async function listRegions(db: Db): Promise<RegionRow[]> {
  const rows = await db.query<{ region: string; address: string; notify_addr: string }>(
    'SELECT region, address, notify_addr FROM controllers ORDER BY region',
  );
  return rows.map((r) => ({ region: r.region, address: r.address, notifyAddr: r.notify_addr }));
}

/**
 * Alerts: the receiver API (stored in PostgreSQL, rendered into Alertmanager's file) and,
 * when `alertmanagerAddr` is set, every region's alerts followed over notify and pushed to
 * Alertmanager. The configuration file is rendered once at start so it matches the table.
 */
export async function createAlertsArea(deps: AlertsAreaDeps): Promise<AlertsArea> {
  const { config, db } = deps;
  const log = deps.log.child({ component: 'alerts' });
  const now = deps.now ?? Date.now;
  const am = config.alertmanagerAddr ? alertmanagerClient(config.alertmanagerAddr) : undefined;
  const receiverConfig = new ReceiverConfigWriter({
    file: config.alertmanagerConfigFile,
    am,
    smtp: {
      smarthost: config.smtpAddr,
      from: config.smtpFrom,
      username: config.smtpUser,
      password: config.smtpPass,
    },
    log,
  });
  if (config.alertmanagerConfigFile)
    await receiverConfig
      .sync(db)
      .catch((err: unknown) => log.warn({ err }, 'alertmanager configuration not applied'));

  let pusher: AlertPusher | undefined;
  let feeds: RegionAlertFeeds | undefined;
  if (am) {
    const p = new AlertPusher({
      am,
      caches: () => feeds?.caches() ?? [],
      resolveTimeoutMs: config.alertResolveTimeout,
      now,
      log,
    });
    feeds = new RegionAlertFeeds({
      reg: deps.reg,
      listRegions: () => listRegions(db),
      pollMs: deps.regionPollMs ?? 5_000,
      onChange: (region, _key, cur, before) => void p.pushChange(region, cur, before),
      log,
    });
    pusher = p;
    feeds.start();
    p.start();
  }

  return {
    feeds,
    pusher,
    register: (routes) =>
      registerReceiverRoutes(routes, { db, authorizer: deps.authorizer, config: receiverConfig }),
    async close() {
      await feeds?.stop();
      await pusher?.stop();
    },
  };
}
