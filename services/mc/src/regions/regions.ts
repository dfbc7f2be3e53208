import type { DescService } from '@bufbuild/protobuf';
import type * as grpc from '@grpc/grpc-js';
import { notFound, invalidArgument } from '@edge/errors';
import { createClient, insecureClient, loadClientTls, type Client } from '@edge/rpc';
import type { Queryable } from '../db/db';
import { controllerFromRow, type ControllerRecord, type ControllerRow } from './controller-record';

/** Files for mutual TLS to the Controllers; all empty = plain text (dev and tests). */
export interface RegionTls {
  readonly tlsCa: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
}

/** One region's open channels, by service name, for one Controller address. */
interface RegionConn {
  readonly address: string;
  readonly clients: Map<string, Client<DescService>>;
}

/**
 * The region registry as the rest of the MC uses it: registered regions, and a cached
 * gRPC client per region and Controller service. Each lookup reads the region's row, so a
 * changed address (also by another MC replica) reconnects on the next call; `invalidate`
 * drops a region's channels at once after an update or delete here.
 */
export class Regions {
  private readonly conns = new Map<string, RegionConn>();
  private credentials: Promise<grpc.ChannelCredentials> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly tls: RegionTls,
  ) {}

  /** Every registered region, by name. */
  async list(): Promise<ControllerRecord[]> {
    const rows = await this.db.query<ControllerRow>('SELECT * FROM controllers ORDER BY region');
    return rows.map(controllerFromRow);
  }

  /** The region named `region`; throws the original's `region "<x>" not found`. */
  async get(region: string): Promise<ControllerRecord> {
    if (region === '') throw invalidArgument('no region specified');
    const rows = await this.db.query<ControllerRow>('SELECT * FROM controllers WHERE region = $1', [region]);
    const row = rows[0];
    if (!row) throw notFound(`region "${region}" not found`);
    return controllerFromRow(row);
  }

  /** A client of `service` on the region's Controller (cached; reconnects when the address changed). */
  async client<S extends DescService>(region: string, service: S): Promise<Client<S>> {
    const rec = await this.get(region);
    let conn = this.conns.get(region);
    if (conn && conn.address !== rec.address) {
      this.invalidate(region);
      conn = undefined;
    }
    if (!conn) {
      conn = { address: rec.address, clients: new Map() };
      this.conns.set(region, conn);
    }
    let c = conn.clients.get(service.typeName);
    if (!c) {
      c = createClient(service, rec.address, { credentials: await this.channelCredentials() });
      conn.clients.set(service.typeName, c);
    }
    return c as Client<S>;
  }

  /** Closes the region's channels (after its Controller was updated or deregistered). */
  invalidate(region: string): void {
    const conn = this.conns.get(region);
    if (!conn) return;
    this.conns.delete(region);
    for (const c of conn.clients.values()) c.close();
  }

  close(): void {
    for (const region of [...this.conns.keys()]) this.invalidate(region);
  }

  private channelCredentials(): Promise<grpc.ChannelCredentials> {
    const { tlsCa, tlsCert, tlsKey } = this.tls;
    this.credentials ??= tlsCa
      ? loadClientTls({
          caFile: tlsCa,
          ...(tlsCert ? { certFile: tlsCert } : {}),
          ...(tlsKey ? { keyFile: tlsKey } : {}),
        })
      : Promise.resolve(insecureClient());
    return this.credentials;
  }
}
