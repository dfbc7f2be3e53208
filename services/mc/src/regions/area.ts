import type { Logger } from '@edge/log';
import type { ObjectRegistry } from '@edge/proto';
import type { Caller } from '../auth/caller';
import type { McConfig } from '../config';
import type { Db } from '../db/db';
import type { McArea } from '../mc';
import { registerMetricsRoutes } from '../metrics/metrics-routes';
import { registerCtrlRoutes } from '../proxy/ctrl-routes';
import { attachCtrlWebsocket } from '../proxy/ws';
import type { Rbac } from '../rbac/authorize';
import { registerControllerRoutes } from './controller-routes';
import { Regions } from './regions';

/** What the regions area needs from the MC. */
export interface RegionsAreaDeps {
  readonly config: Pick<McConfig, 'tlsCa' | 'tlsCert' | 'tlsKey'>;
  readonly db: Db;
  readonly log: Logger;
  readonly reg: ObjectRegistry;
  readonly rbac: Rbac;
  /** Validates the `{"token":…}` first message of a websocket (the short-lived wstoken). */
  readonly wsAuthenticate: (token: string) => Promise<Caller>;
}

/** The regions area with the registry other areas use (`regions.list()`, `get`, `client`). */
export interface RegionsArea extends McArea {
  readonly regions: Regions;
}

/**
 * The region registry (`controller/*`), the Controller proxy (`ctrl/<Rpc>` over HTTP and
 * websocket) and the regional metrics and events queries.
 */
export function createRegionsArea(deps: RegionsAreaDeps): RegionsArea {
  const regions = new Regions(deps.db, deps.config);
  const proxyDeps = { reg: deps.reg, rbac: deps.rbac, db: deps.db, regions };
  return {
    regions,
    register(routes) {
      registerControllerRoutes(routes, { db: deps.db, rbac: deps.rbac, regions });
      registerCtrlRoutes(routes, proxyDeps);
      registerMetricsRoutes(routes, { rbac: deps.rbac, regions, log: deps.log });
    },
    onServer(server) {
      attachCtrlWebsocket(server, { ...proxyDeps, log: deps.log, authenticate: deps.wsAuthenticate });
    },
    close() {
      regions.close();
      return Promise.resolve();
    },
  };
}
