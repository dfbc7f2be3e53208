import { dme } from './proto';

/** Where a client reaches one port of a found instance. */
export interface Endpoint {
  host: string;
  port: number;
  tls: boolean;
}

/** Host and public port of `port` of the instance `found` (the port's FQDN prefix + the FQDN). */
export function endpointOf(found: Pick<dme.FindCloudletReply, 'fqdn'>, port: dme.AppPort): Endpoint {
  return { host: `${port.fqdnPrefix}${found.fqdn}`, port: port.publicPort, tls: port.tls };
}

/** The first TCP port of a found instance, as an endpoint; undefined when it has none. */
export function firstTcpEndpoint(found: Pick<dme.FindCloudletReply, 'fqdn' | 'ports'>): Endpoint | undefined {
  const port = found.ports.find((p) => p.proto === dme.LProto.TCP);
  return port ? endpointOf(found, port) : undefined;
}
