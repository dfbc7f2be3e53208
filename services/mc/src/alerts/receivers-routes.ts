import { invalidArgument } from '@edge/errors';
import type { Db } from '../db/db';
import { forbidden } from '../http/errors';
import { result, type AuthRequestCtx, type McRoutes } from '../http/routes';
import type { Authorizer } from '../rbac/authorizer';
import type { ReceiverConfigWriter } from './receivers-config';
import {
  parseReceiver,
  receiverJson,
  receiverMatches,
  receiverOrg,
  type AlertReceiver,
} from './receivers-model';
import { receiverStore } from './receivers-store';
import { validateNewReceiver } from './receivers-validate';

/** What the receiver routes need. */
export interface ReceiverRoutesDeps {
  readonly db: Db;
  readonly authorizer: Authorizer;
  readonly config: ReceiverConfigWriter;
}

function auditTags(ctx: AuthRequestCtx, r: AlertReceiver): void {
  const org = receiverOrg(r);
  if (org) ctx.audit.org = org;
  if (r.Region) ctx.audit.region = r.Region;
}

/** `auth/alertreceiver/create|delete|show` with the original's checks and messages. */
export function registerReceiverRoutes(routes: McRoutes, deps: ReceiverRoutesDeps): void {
  const { db, authorizer } = deps;

  routes.auth('alertreceiver/create', async (ctx) => {
    const { caller } = ctx;
    const input = parseReceiver(ctx.body);
    auditTags(ctx, input);
    const r = await validateNewReceiver(input, {
      username: caller.username,
      email: caller.email,
      isAdmin: await authorizer.isAdmin(caller.subject),
      mayViewAlerts: (org) => authorizer.allowed(caller.subject, org, 'alert', 'view'),
    });
    try {
      await db.tx(async (q) => {
        await receiverStore.insert(q, r);
        await deps.config.sync(q);
      });
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('Unable to create a receiver')) throw err;
      // The file may already hold the receiver the rollback removed: render it again.
      await deps.config
        .sync(db)
        .catch((e: unknown) => ctx.log.warn({ err: e }, 'alertmanager config resync failed'));
      ctx.log.warn({ err }, 'alert receiver create failed');
      throw invalidArgument(
        `Unable to create a receiver - ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return result('Alert receiver created successfully');
  });

  routes.auth('alertreceiver/delete', async (ctx) => {
    const { caller } = ctx;
    const r = parseReceiver(ctx.body);
    auditTags(ctx, r);
    const org = receiverOrg(r);
    if (r.User !== '' && r.User !== caller.username) {
      if (org === '') throw invalidArgument('Org details must be present to manage a specific receiver');
      if (!(await authorizer.allowed(caller.subject, org, 'users', 'manage'))) throw forbidden();
      if (!(await authorizer.allowed(r.User, org, 'alert', 'view'))) throw forbidden();
    } else {
      r.User = caller.username;
    }
    if (org !== '' && !(await authorizer.allowed(caller.subject, org, 'alert', 'view'))) throw forbidden();
    const removed = await db.tx(async (q) => {
      if (!(await receiverStore.remove(q, r))) return false;
      await deps.config.sync(q);
      return true;
    });
    if (!removed)
      throw invalidArgument(
        `Unable to delete a receiver - No receiver "${r.Name}" of type ${r.Type} and severity ${r.Severity} for user "${r.User}"`,
      );
    return result('Alert receiver deleted successfully');
  });

  routes.auth('alertreceiver/show', async (ctx) => {
    const { caller } = ctx;
    const filter = parseReceiver(ctx.body);
    if (filter.SlackWebhook !== '') throw invalidArgument('Slack URL is not specifiable as a filter');
    const allowed = await authorizer.orgsAllowed(caller.subject, 'alert', 'view');
    if (allowed !== 'all' && allowed.size === 0) throw forbidden();
    if (allowed !== 'all') {
      if (filter.User !== '' && filter.User !== caller.username) {
        const org = receiverOrg(filter);
        if (org === '') throw invalidArgument('Org details must be present to see receivers');
        if (!(await authorizer.allowed(caller.subject, org, 'users', 'manage'))) throw forbidden();
      } else {
        filter.User = caller.username;
      }
    }
    const all = await receiverStore.list(db);
    return all
      .filter((r) => receiverMatches(r, filter))
      .filter((r) => allowed === 'all' || allowed.has(receiverOrg(r)))
      .map(receiverJson);
  });
}
