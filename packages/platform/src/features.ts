import { edgeproto } from '@edge/proto';
import type { PlatformFeatures } from './platform';

const NONE: PlatformFeatures = {
  isFake: false,
  cloudletServicesLocal: false,
  ipAllocatedPerService: false,
  kubernetesRequiresWorkerNodes: false,
  supportsKubernetesOnly: false,
  isSingleKubernetesCluster: false,
  supportsMultiTenantCluster: false,
  supportsSharedVolume: false,
  supportsAdditionalNetworks: false,
  supportsAppInstDedicatedIp: false,
};

const P = edgeproto.PlatformType;
const FAKE: Partial<PlatformFeatures> = {
  isFake: true,
  cloudletServicesLocal: true,
  supportsMultiTenantCluster: true,
  supportsSharedVolume: true,
  supportsAdditionalNetworks: true,
};
const MANAGED_K8S: Partial<PlatformFeatures> = {
  ipAllocatedPerService: true,
  kubernetesRequiresWorkerNodes: true,
  supportsKubernetesOnly: true,
};
const VM_LAYER: Partial<PlatformFeatures> = {
  supportsMultiTenantCluster: true,
  supportsAdditionalNetworks: true,
};
const ON_THIS_HOST: Partial<PlatformFeatures> = {
  cloudletServicesLocal: true,
  supportsMultiTenantCluster: true,
};

/**
 * Features by platform, as the original's platform plugins report them (ME fake/dind/kind,
 * MI infra platforms). The Controller validates requests against this table without
 * asking the CRM, as the original's `GetCloudletFeatures(platformType)` does.
 */
const BY_PLATFORM: Partial<Record<edgeproto.PlatformType, Partial<PlatformFeatures>>> = {
  [P.FAKE]: FAKE,
  [P.FAKE_VM_POOL]: FAKE,
  [P.FAKEINFRA]: { ...FAKE, cloudletServicesLocal: false },
  [P.FAKE_SINGLE_CLUSTER]: { ...FAKE, isSingleKubernetesCluster: true },
  [P.DIND]: ON_THIS_HOST,
  [P.KIND]: ON_THIS_HOST,
  [P.KINDINFRA]: ON_THIS_HOST,
  [P.EDGEBOX]: { cloudletServicesLocal: true },
  [P.LOCAL]: ON_THIS_HOST,
  [P.AZURE]: MANAGED_K8S,
  [P.GCP]: MANAGED_K8S,
  [P.AWS_EKS]: MANAGED_K8S,
  [P.K8S_BARE_METAL]: { isSingleKubernetesCluster: true, supportsKubernetesOnly: true },
  [P.OPENSTACK]: { ...VM_LAYER, supportsSharedVolume: true },
  [P.VSPHERE]: VM_LAYER,
  [P.VCD]: VM_LAYER,
  [P.AWS_EC2]: VM_LAYER,
};

/** The features of a platform type (all false for types without an entry). */
export function platformFeatures(type: edgeproto.PlatformType): PlatformFeatures {
  return { ...NONE, ...BY_PLATFORM[type] };
}
