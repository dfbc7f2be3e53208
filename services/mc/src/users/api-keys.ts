import { randomUUID } from 'node:crypto';
import { Code, invalidArgument } from '@edge/errors';
import type { AccountsDeps } from '../auth/accounts-deps';
import { newPasshash } from '../auth/passwords';
import { HttpError } from '../http/errors';
import { Fields } from '../http/fields';
import { result, type AuthRequestCtx, type McRoutes } from '../http/routes';

const roleOf = (id: string): string => `${id}-role`;

/** `[{resource, action}]` of the request (the original's `permissions` list). */
function requestedPerms(ctx: AuthRequestCtx): { resource: string; action: string }[] {
  const raw = ctx.fields.raw('permissions');
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidArgument('Invalid JSON data: permissions must be an array');
  return raw.map((p) => {
    const f = new Fields(p);
    return { resource: f.str('resource'), action: f.str('action') };
  });
}

const refuseApiKeyAuth = (ctx: AuthRequestCtx, verb: string): void => {
  if (ctx.caller.authType === 'apikeyauth')
    throw new HttpError(
      403,
      Code.PERMISSION_DENIED,
      `ApiKey auth not allowed to ${verb} API keys, please log in with user account`,
    );
};

/** `auth/user/create/apikey`, `auth/user/delete/apikey`, `auth/user/show/apikey`. */
export function registerApiKeyRoutes(routes: McRoutes, deps: AccountsDeps): void {
  routes.auth('user/create/apikey', async (ctx) => {
    refuseApiKeyAuth(ctx, 'create');
    const owner = ctx.caller.username;
    const org = ctx.fields.str('org');
    const perms = requestedPerms(ctx);
    ctx.audit.org = org;
    const cfg = await deps.configs.get();
    const count = await deps.db.one<{ n: string }>(
      `SELECT count(*) AS n FROM user_api_keys WHERE lower(username) = lower($1)`,
      [owner],
    );
    if (Number(count?.n ?? 0) >= cfg.UserApiKeyCreateLimit)
      throw invalidArgument(
        `User cannot create more than ${cfg.UserApiKeyCreateLimit} API keys, please delete existing keys to create new one`,
      );
    if (perms.length === 0) throw invalidArgument('No permissions for specified org');
    const orgRow = await deps.db.one<{ name: string }>(
      `SELECT name FROM organizations WHERE lower(name) = lower($1)`,
      [org],
    );
    if (!orgRow) throw invalidArgument('Invalid org specified');

    // what the owner may do in that org (global roles included)
    const ownerPerms = await deps.db.query<{ resource: string; action: string }>(
      `SELECT DISTINCT p.resource, p.action FROM role_assignments a JOIN role_perms p ON p.role = a.role
        WHERE lower(a.subject) = lower($1) AND (a.org = $2 OR a.org = '') ORDER BY 1, 2`,
      [owner, orgRow.name],
    );
    const valid = new Set(ownerPerms.map((p) => `${p.resource}:${p.action}`));
    const grant = new Set<string>();
    for (const p of perms) {
      if (p.action !== 'view' && p.action !== 'manage')
        throw invalidArgument(`Invalid action ${p.action}, valid actions are view, manage`);
      if (!valid.has(`${p.resource}:${p.action}`))
        throw invalidArgument(
          `Invalid permission specified: [${p.resource}:${p.action}], valid permissions (resource:action) are [${[...valid].join(' ')}]`,
        );
      grant.add(`${p.resource}:${p.action}`);
      if (p.action === 'manage') grant.add(`${p.resource}:view`);
    }

    const id = randomUUID();
    const apiKey = randomUUID();
    const hash = await newPasshash(apiKey);
    await deps.db.tx(async (q) => {
      for (const g of grant) {
        const [resource, action] = g.split(':');
        await q.query(
          `INSERT INTO role_perms (role, resource, action) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [roleOf(id), resource, action],
        );
      }
      await q.query(`INSERT INTO role_assignments (org, subject, role) VALUES ($1, $2, $3)`, [
        orgRow.name,
        id,
        roleOf(id),
      ]);
      await q.query(
        `INSERT INTO user_api_keys (id, description, org, username, api_key_hash, salt, iter, created_at)
         VALUES ($1, $2, $3, (SELECT name FROM users WHERE lower(name) = lower($4)), $5, $6, $7, $8)`,
        [
          id,
          ctx.fields.str('description'),
          orgRow.name,
          owner,
          hash.passhash,
          hash.salt,
          hash.iter,
          new Date(deps.now()),
        ],
      );
    });
    return { Id: id, ApiKey: apiKey };
  });

  routes.auth('user/delete/apikey', async (ctx) => {
    refuseApiKeyAuth(ctx, 'delete');
    const id = ctx.fields.str('id');
    if (!id) throw invalidArgument('Missing API key ID');
    const key = await deps.db.one<{ id: string; username: string }>(
      `SELECT id, username FROM user_api_keys WHERE lower(id) = lower($1)`,
      [id],
    );
    if (!key) throw invalidArgument('API key ID not found');
    if (
      key.username.toLowerCase() !== ctx.caller.username.toLowerCase() &&
      !(await deps.authz.isAdmin(ctx.caller.subject))
    )
      throw new HttpError(403, Code.PERMISSION_DENIED, "Cannot delete other user's API key");
    await deps.db.tx(async (q) => {
      await q.query(`DELETE FROM role_perms WHERE role = $1`, [roleOf(key.id)]);
      await q.query(`DELETE FROM role_assignments WHERE subject = $1`, [key.id]);
      await q.query(`DELETE FROM user_api_keys WHERE id = $1`, [key.id]);
    });
    return result('deleted API Key successfully');
  });

  routes.auth('user/show/apikey', async (ctx) => {
    refuseApiKeyAuth(ctx, 'show');
    const id = ctx.fields.str('id');
    const keys = await deps.db.query<{
      id: string;
      description: string;
      org: string;
      username: string;
      created_at: Date;
    }>(
      `SELECT id, description, org, username, created_at FROM user_api_keys ${id ? 'WHERE lower(id) = lower($1)' : ''} ORDER BY created_at, id`,
      id ? [id] : [],
    );
    if (id && keys.length === 0) throw invalidArgument('API key ID not found');
    const superView = await deps.authz.allowed(ctx.caller.subject, '', 'users', 'view');
    const out: unknown[] = [];
    for (const k of keys) {
      if (!superView && k.username.toLowerCase() !== ctx.caller.username.toLowerCase()) continue;
      const perms = await deps.db.query<{ resource: string; action: string }>(
        `SELECT resource, action FROM role_perms WHERE role = $1 ORDER BY resource, action`,
        [roleOf(k.id)],
      );
      out.push({
        Id: k.id,
        Description: k.description,
        Org: k.org,
        ...(superView ? { Username: k.username } : {}),
        CreatedAt: k.created_at.toISOString(),
        permissions: perms.map((p) => ({ role: roleOf(k.id), resource: p.resource, action: p.action })),
      });
    }
    return out;
  });
}
