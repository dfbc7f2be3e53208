import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';

/** PEM text of a server identity; with `ca`, clients must present a certificate signed by it. */
export interface ServerTlsPem {
  cert: string;
  key: string;
  ca?: string;
}

/** PEM text a client trusts (`ca`) and, for mutual TLS, presents (`cert` + `key`). */
export interface ClientTlsPem {
  ca: string;
  cert?: string;
  key?: string;
}

/** Paths of PEM files; same meaning as the PEM fields. */
export interface ServerTlsFiles {
  certFile: string;
  keyFile: string;
  caFile?: string;
}

/** Paths of PEM files; same meaning as the PEM fields. */
export interface ClientTlsFiles {
  caFile: string;
  certFile?: string;
  keyFile?: string;
}

/**
 * Server TLS credentials. With a CA this is mutual TLS: a client certificate is required
 * and verified against the CA, and handlers see it as `ctx.peerCertificate`.
 */
export function serverTls(pem: ServerTlsPem): grpc.ServerCredentials {
  const ca = pem.ca === undefined ? null : Buffer.from(pem.ca);
  return grpc.ServerCredentials.createSsl(
    ca,
    [{ cert_chain: Buffer.from(pem.cert), private_key: Buffer.from(pem.key) }],
    ca !== null,
  );
}

/** Client TLS credentials; with `cert` and `key` the client presents them (mutual TLS). */
export function clientTls(pem: ClientTlsPem): grpc.ChannelCredentials {
  if ((pem.cert === undefined) !== (pem.key === undefined)) {
    throw new TypeError('client TLS: cert and key must be given together');
  }
  return grpc.credentials.createSsl(
    Buffer.from(pem.ca),
    pem.key === undefined ? null : Buffer.from(pem.key),
    pem.cert === undefined ? null : Buffer.from(pem.cert),
  );
}

/** Server TLS credentials from PEM files; see `serverTls`. */
export async function loadServerTls(files: ServerTlsFiles): Promise<grpc.ServerCredentials> {
  const [cert, key, ca] = await Promise.all([read(files.certFile), read(files.keyFile), read(files.caFile)]);
  return serverTls({ cert: cert ?? '', key: key ?? '', ...(ca === undefined ? {} : { ca }) });
}

/** Client TLS credentials from PEM files; see `clientTls`. */
export async function loadClientTls(files: ClientTlsFiles): Promise<grpc.ChannelCredentials> {
  const [ca, cert, key] = await Promise.all([read(files.caFile), read(files.certFile), read(files.keyFile)]);
  return clientTls({
    ca: ca ?? '',
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  });
}

/** Plain-text server credentials, for tests and dev mode only. */
export const insecureServer = (): grpc.ServerCredentials => grpc.ServerCredentials.createInsecure();
/** Plain-text client credentials, for tests and dev mode only. */
export const insecureClient = (): grpc.ChannelCredentials => grpc.credentials.createInsecure();

function read(path: string | undefined): Promise<string | undefined> {
  return path === undefined ? Promise.resolve(undefined) : readFile(path, 'utf8');
}
