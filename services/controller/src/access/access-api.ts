import { invalidArgument } from '@edge/errors';
import type { Logger } from '@edge/log';
import { issueClientCert, type CertificateAuthority } from '@edge/pki';
import { edgeproto } from '@edge/proto';
import {
  addService,
  type AuthHook,
  type HandlerContext,
  type ServeOptions,
  type ServiceImpl,
} from '@edge/rpc';
import type * as grpc from '@grpc/grpc-js';
import type { SecretStore } from '@edge/secrets';
import { createAccessKeyAuth } from './access-key-auth';
import { getAccessData } from './access-data';
import { secretCa } from './secret-ca';
import { REGIONAL_CLOUDLET_ISSUER } from './secret-paths';
import { upgradeAccessKeyHandler, type CommitAccessKey } from './upgrade-access-key';
import type { AccessKeyVerified, LookupCloudlet } from './verify-access-key';

/** Options of `createAccessApi`. */
export interface AccessApiOptions {
  /** Holds the regional-cloudlet CA and the cloudlets' access vars. */
  secrets: SecretStore;
  /** Finds a cloudlet by key JSON; the Controller passes a read of its cache. */
  lookupCloudlet: LookupCloudlet;
  log: Logger;
  /**
   * CA chains (PEM) GetCas also hands out, by issuer, e.g. `{ 'pki-regional': pem }` so
   * cloudlet services can trust the Controller's own certificates.
   */
  otherCas?: Readonly<Record<string, string>>;
  /** Validity of issued certificates in days; default 3 (the original's 72h). */
  certValidDays?: number;
  /** See `AccessKeyAuthOptions.badAuthDelayMs`; default 3000 ms. */
  badAuthDelayMs?: number;
  /**
   * Stores an upgraded key (UpgradeAccessKey); the Controller passes `commitAccessKey`.
   * Without it, a key that needs an upgrade cannot be upgraded here.
   */
  commitAccessKey?: CommitAccessKey;
}

/** The CloudletAccessApi service, ready to mount. */
export interface AccessApi {
  readonly service: typeof edgeproto.CloudletAccessApi;
  readonly impl: ServiceImpl<typeof edgeproto.CloudletAccessApi>;
  /** Verifies the access key of every call; pass as `addService(…, { auth })`. */
  readonly auth: AuthHook;
  /** CloudletAccessKeyApi (UpgradeAccessKey), served beside it with the same `auth`. */
  readonly keyService: typeof edgeproto.CloudletAccessKeyApi;
  readonly keyImpl: ServiceImpl<typeof edgeproto.CloudletAccessKeyApi>;
  /** Adds both services to `server` behind the access-key check. */
  register(server: grpc.Server, serve?: Omit<ServeOptions, 'auth'>): void;
  /** The cloudlet verified for a call (for other services mounted with the same `auth`). */
  verified(ctx: HandlerContext): AccessKeyVerified | undefined;
  /** Loads, or creates and stores, the regional-cloudlet CA; call at start to fail fast. */
  regionalCa(): Promise<CertificateAuthority>;
}

/** Longest subject common name X.509 allows (ub-common-name). */
const MAX_COMMON_NAME = 64;

/**
 * The Controller's CloudletAccessApi: IssueCert, GetCas and GetAccessData for cloudlet
 * services (CRM, Shepherd, cloudlet DME), authenticated by their cloudlet access key, and
 * beside it CloudletAccessKeyApi.UpgradeAccessKey.
 * Mount it on its own address with server TLS; the CRM trusts the server certificate and
 * proves itself with the access key signature, not a client certificate.
 *
 * @example
 *   const access = createAccessApi({ secrets, lookupCloudlet: (k) => cloudlets.get(k), log, commitAccessKey });
 *   await access.regionalCa();
 *   const server = createServer();
 *   access.register(server, { log, trace });
 *   await listen(server, cfg.accessApiAddr, serverTls({ cert, key }));
 */
export function createAccessApi(options: AccessApiOptions): AccessApi {
  const log = options.log.child({ component: 'access-api' });
  const auth = createAccessKeyAuth({
    lookupCloudlet: options.lookupCloudlet,
    ...(options.badAuthDelayMs === undefined ? {} : { badAuthDelayMs: options.badAuthDelayMs }),
  });
  const regionalCa = secretCa(options.secrets, REGIONAL_CLOUDLET_ISSUER, log);
  const validDays = options.certValidDays ?? 3;

  const impl: ServiceImpl<typeof edgeproto.CloudletAccessApi> = {
    async issueCert(req, ctx) {
      const verified = auth.require(ctx);
      const cn = req.commonName;
      if (cn === '' || cn.length > MAX_COMMON_NAME) {
        throw invalidArgument(`common name must be 1 to ${MAX_COMMON_NAME} characters`);
      }
      // Client certificates: cloudlet services use them to reach the Controller's notify server.
      const cert = await issueClientCert(await regionalCa(), { commonName: cn, validDays });
      ctx.log.info({ cloudlet: verified.keyJson, commonName: cn }, 'issued cloudlet certificate');
      return { publicCertPem: cert.certPem, privateKeyPem: cert.keyPem };
    },

    async getCas(req, ctx) {
      auth.require(ctx);
      if (req.issuer === REGIONAL_CLOUDLET_ISSUER) return { caChainPem: (await regionalCa()).certPem };
      const other = options.otherCas?.[req.issuer];
      if (other !== undefined) return { caChainPem: other };
      const known = [REGIONAL_CLOUDLET_ISSUER, ...Object.keys(options.otherCas ?? {})].join(', ');
      throw invalidArgument(`Unknown CA issuer "${req.issuer}", expected one of ${known}`);
    },

    async getAccessData(req, ctx) {
      const verified = auth.require(ctx);
      return { data: await getAccessData(options.secrets, verified, req.type, req.data) };
    },
  };

  const keyImpl: ServiceImpl<typeof edgeproto.CloudletAccessKeyApi> = {
    upgradeAccessKey: upgradeAccessKeyHandler(auth, options.commitAccessKey),
  };

  return {
    service: edgeproto.CloudletAccessApi,
    impl,
    keyService: edgeproto.CloudletAccessKeyApi,
    keyImpl,
    register(server, serve = {}) {
      addService(server, edgeproto.CloudletAccessApi, impl, { ...serve, auth: auth.hook });
      addService(server, edgeproto.CloudletAccessKeyApi, keyImpl, { ...serve, auth: auth.hook });
    },
    auth: auth.hook,
    verified: auth.verified,
    regionalCa,
  };
}
