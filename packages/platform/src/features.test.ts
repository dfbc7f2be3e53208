import { edgeproto } from '@edge/proto';
import { platformFeatures } from './features';

const P = edgeproto.PlatformType;

describe('platformFeatures', () => {
  it('has the local platform run its cloudlet services on this host, multi-tenant', () => {
    expect(P.LOCAL).toBe(18);
    expect(platformFeatures(P.LOCAL)).toEqual({
      isFake: false,
      cloudletServicesLocal: true,
      ipAllocatedPerService: false,
      kubernetesRequiresWorkerNodes: false,
      supportsKubernetesOnly: false,
      isSingleKubernetesCluster: false,
      supportsMultiTenantCluster: true,
      supportsSharedVolume: false,
      supportsAdditionalNetworks: false,
      supportsAppInstDedicatedIp: false,
    });
  });

  it('marks fake platforms and managed Kubernetes clouds', () => {
    expect(platformFeatures(P.FAKE)).toMatchObject({ isFake: true, cloudletServicesLocal: true });
    expect(platformFeatures(P.FAKEINFRA).cloudletServicesLocal).toBe(false);
    expect(platformFeatures(P.GCP)).toMatchObject({
      ipAllocatedPerService: true,
      supportsKubernetesOnly: true,
    });
    expect(platformFeatures(P.FEDERATION)).toMatchObject({ isFake: false, cloudletServicesLocal: false });
  });
});
