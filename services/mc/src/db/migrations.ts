/** One schema step; `id`s are applied in ascending order and never change once released. */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The MC schema. Names are case-insensitive where the original used citext: a unique
 * index on `lower(name)` (no extension needed, so the embedded PGlite runs it too).
 * Later steps take the next free id; ids 100+ are grouped by area (accounts 1xx, RBAC and
 * orgs 2xx, regions 3xx, alerts and audit 4xx) so parallel work does not collide.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'initial',
    sql: `
CREATE TABLE users (
  name text PRIMARY KEY,
  email text NOT NULL,
  email_verified boolean NOT NULL DEFAULT false,
  passhash text NOT NULL DEFAULT '',
  salt text NOT NULL DEFAULT '',
  iter integer NOT NULL DEFAULT 0,
  family_name text NOT NULL DEFAULT '',
  given_name text NOT NULL DEFAULT '',
  picture text NOT NULL DEFAULT '',
  nickname text NOT NULL DEFAULT '',
  locked boolean NOT NULL DEFAULT false,
  pass_crack_time_sec double precision NOT NULL DEFAULT 0,
  enable_totp boolean NOT NULL DEFAULT false,
  totp_shared_key text NOT NULL DEFAULT '',
  metadata text NOT NULL DEFAULT '',
  last_login timestamptz,
  last_failed_login timestamptz,
  failed_logins integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_name_ci ON users (lower(name));
CREATE UNIQUE INDEX users_email_ci ON users (lower(email));

CREATE TABLE user_api_keys (
  id text PRIMARY KEY,
  description text NOT NULL DEFAULT '',
  org text NOT NULL,
  username text NOT NULL REFERENCES users (name) ON DELETE CASCADE ON UPDATE CASCADE,
  api_key_hash text NOT NULL,
  salt text NOT NULL,
  iter integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_api_keys_username ON user_api_keys (username);

CREATE TABLE organizations (
  name text PRIMARY KEY,
  type text NOT NULL,
  address text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT '',
  public_images boolean NOT NULL DEFAULT false,
  delete_in_progress boolean NOT NULL DEFAULT false,
  parent text NOT NULL DEFAULT '',
  edgebox_only boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organizations_name_ci ON organizations (lower(name));

-- RBAC: a role's permissions, and who holds which role in which org ('' = global, admins).
CREATE TABLE role_perms (
  role text NOT NULL,
  resource text NOT NULL,
  action text NOT NULL,
  PRIMARY KEY (role, resource, action)
);
CREATE TABLE role_assignments (
  org text NOT NULL,
  subject text NOT NULL,
  role text NOT NULL,
  PRIMARY KEY (org, subject)
);
CREATE INDEX role_assignments_subject ON role_assignments (lower(subject));

CREATE TABLE controllers (
  region text PRIMARY KEY,
  address text NOT NULL UNIQUE,
  notify_addr text NOT NULL DEFAULT '',
  influxdb text NOT NULL DEFAULT '',
  thanos_metrics text NOT NULL DEFAULT '',
  dns_region text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The Config singleton (id 1) as one JSON document of the original's fields.
CREATE TABLE configs (
  id integer PRIMARY KEY CHECK (id = 1),
  data jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE org_cloudlet_pools (
  org text NOT NULL,
  region text NOT NULL REFERENCES controllers (region) ON DELETE CASCADE,
  cloudlet_pool text NOT NULL,
  cloudlet_pool_org text NOT NULL,
  type text NOT NULL CHECK (type IN ('invitation', 'response')),
  decision text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org, region, cloudlet_pool, cloudlet_pool_org, type)
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  name text NOT NULL,
  username text NOT NULL DEFAULT '',
  org text NOT NULL DEFAULT '',
  region text NOT NULL DEFAULT '',
  status integer NOT NULL,
  duration_ms double precision NOT NULL,
  remote_ip text NOT NULL DEFAULT '',
  trace_id text NOT NULL DEFAULT '',
  request jsonb,
  error text NOT NULL DEFAULT '',
  tags jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_org ON audit_log (org, at);
`,
  },
  {
    id: 200,
    name: 'org-cloudlet-pools-org-refs',
    // As the original: pool invitations/responses name existing orgs, so an org they
    // reference cannot be deleted (org delete checks first; this is the safety net).
    sql: `
ALTER TABLE org_cloudlet_pools
  ADD CONSTRAINT org_cloudlet_pools_org_fkey FOREIGN KEY (org) REFERENCES organizations (name),
  ADD CONSTRAINT org_cloudlet_pools_cloudletpoolorg_fkey FOREIGN KEY (cloudlet_pool_org) REFERENCES organizations (name);
`,
  },
  {
    id: 400,
    name: 'alert-receivers',
    // Alert receivers live here (the original kept them only in Alertmanager's file, which
    // the MC now renders from this table); key = the Alertmanager receiver name's parts.
    sql: `
CREATE TABLE alert_receivers (
  name text NOT NULL,
  username text NOT NULL,
  severity text NOT NULL,
  type text NOT NULL,
  org text NOT NULL DEFAULT '',
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, username, severity, type)
);
CREATE INDEX alert_receivers_org ON alert_receivers (org);
CREATE INDEX audit_log_name ON audit_log (name, at);
`,
  },
];
