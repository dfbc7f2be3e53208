import type { MessageInitShape } from '@bufbuild/protobuf';
import type { edgeproto } from '@edge/proto';

/** Issuer name of the CA that signs certificates for cloudlet services, as in the original. */
export const REGIONAL_CLOUDLET_ISSUER = 'pki-regional-cloudlet';

/**
 * SecretStore path of a cloudlet's access vars (infra credentials such as OpenStack
 * `OS_*`): `cloudlet/<org>/<name>/accessvars`, each part URI-encoded so no name can reach
 * into another cloudlet's folder. A federated partner organization, when set, is added to
 * the name as `@<org>` (`@` is encoded inside names, so this cannot collide).
 */
export function cloudletAccessVarsPath(key: MessageInitShape<typeof edgeproto.CloudletKeySchema>): string {
  const org = encodeURIComponent(key.organization ?? '');
  const fed = key.federatedOrganization ? `@${encodeURIComponent(key.federatedOrganization)}` : '';
  return `cloudlet/${org}/${encodeURIComponent(key.name ?? '')}${fed}/accessvars`;
}

/** SecretStore path of the certificate and private key of the CA of `issuer`. */
export function caSecretPath(issuer: string): string {
  return `pki/${encodeURIComponent(issuer)}/ca`;
}
