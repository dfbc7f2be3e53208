import { failedPrecondition } from '@edge/errors';
import type { Logger } from '@edge/log';
import { createCa, type CertificateAuthority } from '@edge/pki';
import type { SecretStore } from '@edge/secrets';
import { caSecretPath } from './secret-paths';

/**
 * A CA kept in the SecretStore, so a restarted Controller, and every Controller of the
 * region sharing the store, issues from the same CA. Created on first use.
 */
export type SecretCa = () => Promise<CertificateAuthority>;

/**
 * The CA of `issuer` (e.g. `pki-regional-cloudlet`) from `secrets` at `caSecretPath`,
 * created and stored on first use. Loaded once per instance; a failed load is retried on
 * the next call.
 *
 * Two Controllers creating the CA at the same moment both write; each then re-reads and
 * uses what the store kept, so at most certificates issued in that moment come from a
 * CA that was overwritten. (Vault's check-and-set would close that gap.)
 */
export function secretCa(secrets: SecretStore, issuer: string, log: Logger): SecretCa {
  const path = caSecretPath(issuer);
  let loading: Promise<CertificateAuthority> | undefined;
  const load = async (): Promise<CertificateAuthority> => {
    const stored = await secrets.get(path);
    if (stored !== undefined) return caOf(stored, path);
    const ca = await createCa({ commonName: issuer });
    await secrets.put(path, { cert_pem: ca.certPem, key_pem: ca.keyPem });
    log.info({ issuer, path }, 'created CA');
    const kept = await secrets.get(path);
    return kept === undefined ? ca : caOf(kept, path);
  };
  return () => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}

function caOf(data: Record<string, string>, path: string): CertificateAuthority {
  const certPem = data['cert_pem'];
  const keyPem = data['key_pem'];
  if (!certPem || !keyPem) throw failedPrecondition(`CA secret ${path} lacks cert_pem or key_pem`);
  return { certPem, keyPem };
}
