import { Code, EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { FakePlatform, type FakePlatformOptions } from './fake/fake-platform';
import { LocalPlatform, type LocalPlatformOptions } from './local/local-platform';
import type { Platform } from './platform';

/** Options of each platform this CRM can run; only the chosen platform's are used. */
export interface CreatePlatformOptions {
  readonly fake?: Omit<FakePlatformOptions, 'type'>;
  readonly local?: LocalPlatformOptions;
}

/** The proto name of a platform type, e.g. `PLATFORM_TYPE_OPENSTACK`. */
export function platformTypeName(type: edgeproto.PlatformType): string {
  return edgeproto.PlatformTypeSchema.value[type]?.name ?? String(type);
}

/**
 * The platform plugin for a cloudlet's platform type: FAKE and FAKE_SINGLE_CLUSTER run
 * the fake platform, LOCAL the local one.
 * @throws EdgeError UNIMPLEMENTED `platform type <NAME> is not supported by this CRM`.
 */
export function createPlatform(type: edgeproto.PlatformType, opts: CreatePlatformOptions = {}): Platform {
  switch (type) {
    case edgeproto.PlatformType.FAKE:
    case edgeproto.PlatformType.FAKE_SINGLE_CLUSTER:
      return new FakePlatform({ ...opts.fake, type });
    case edgeproto.PlatformType.LOCAL:
      return new LocalPlatform(opts.local);
    default:
      throw new EdgeError(
        Code.UNIMPLEMENTED,
        `platform type ${platformTypeName(type)} is not supported by this CRM`,
      );
  }
}
