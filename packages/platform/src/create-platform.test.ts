import { Code, EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { createPlatform, platformTypeName } from './create-platform';
import { FakePlatform } from './fake/fake-platform';
import { LocalPlatform } from './local/local-platform';

const P = edgeproto.PlatformType;

describe('createPlatform', () => {
  it('runs the fake platform for FAKE and FAKE_SINGLE_CLUSTER, keeping the type', () => {
    const fake = createPlatform(P.FAKE, { fake: { delays: { createAppInst: 5 } } });
    expect(fake).toBeInstanceOf(FakePlatform);
    expect((fake as FakePlatform).controls.delayOf('createAppInst')).toBe(5);
    const single = createPlatform(P.FAKE_SINGLE_CLUSTER);
    expect(single).toBeInstanceOf(FakePlatform);
    expect(single.type).toBe(P.FAKE_SINGLE_CLUSTER);
    expect(single.features().isSingleKubernetesCluster).toBe(true);
    expect(fake.features().isSingleKubernetesCluster).toBe(false);
  });

  it('runs the local platform for LOCAL', () => {
    const local = createPlatform(P.LOCAL, { local: { bindHost: '127.0.0.1' } });
    expect(local).toBeInstanceOf(LocalPlatform);
    expect(local.features()).toMatchObject({
      cloudletServicesLocal: true,
      supportsMultiTenantCluster: true,
      isFake: false,
    });
  });

  it('refuses other platform types', () => {
    for (const type of [P.OPENSTACK, P.DIND, P.AWS_EC2]) {
      let err: unknown;
      try {
        createPlatform(type);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EdgeError);
      expect([(err as EdgeError).code, (err as EdgeError).message]).toEqual([
        Code.UNIMPLEMENTED,
        `platform type ${platformTypeName(type)} is not supported by this CRM`,
      ]);
    }
    expect(platformTypeName(P.OPENSTACK)).toBe('PLATFORM_TYPE_OPENSTACK');
  });
});
