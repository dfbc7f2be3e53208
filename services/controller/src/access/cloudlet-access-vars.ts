import type { MessageInitShape } from '@bufbuild/protobuf';
import type { edgeproto } from '@edge/proto';
import type { SecretData, SecretStore } from '@edge/secrets';
import { cloudletAccessVarsPath } from './secret-paths';

/**
 * Stores a cloudlet's access vars (CreateCloudlet / UpdateCloudlet `access_vars`), where
 * GetAccessData `get-cloudlet-access-vars` serves them to that cloudlet only.
 */
export function putCloudletAccessVars(
  secrets: SecretStore,
  key: MessageInitShape<typeof edgeproto.CloudletKeySchema>,
  vars: SecretData,
): Promise<void> {
  return secrets.put(cloudletAccessVarsPath(key), vars);
}

/** Removes a cloudlet's access vars (DeleteCloudlet); fine when there are none. */
export function deleteCloudletAccessVars(
  secrets: SecretStore,
  key: MessageInitShape<typeof edgeproto.CloudletKeySchema>,
): Promise<void> {
  return secrets.delete(cloudletAccessVarsPath(key));
}
