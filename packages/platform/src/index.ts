export type {
  AppInstRuntimeReport,
  AppInstSpec,
  CloudletInfoReport,
  OpContext,
  Platform,
  PlatformConfig,
  PlatformFeatures,
  Progress,
} from './platform';
export { platformFeatures } from './features';
export { createPlatform, platformTypeName, type CreatePlatformOptions } from './create-platform';
export { appInstKeyJson, clusterInstKeyJson } from './keys';
export { FAKE_FLAVOR_LIST, HOST_FLAVOR_LIST, ROOT_LB_FLAVOR, type FlavorSize } from './flavors';
export {
  DISK_UNITS,
  RAM_UNITS,
  RESOURCE_DISK,
  RESOURCE_EXTERNAL_IPS,
  RESOURCE_GPUS,
  RESOURCE_INSTANCES,
  RESOURCE_RAM,
  RESOURCE_VCPUS,
} from './resources';
export { FakePlatform, type FakePlatformOptions } from './fake/fake-platform';
export { FakeControls, type FakeDelays, type FakeFailures, type FakeOp } from './fake/fake-controls';
export { FakeInfra } from './fake/fake-infra';
export { DEFAULT_FAKE_LIMITS, type FakeLimits } from './fake/fake-limits';
export { LocalPlatform, type LocalPlatformOptions } from './local/local-platform';
