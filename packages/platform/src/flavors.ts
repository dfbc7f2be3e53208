import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';

/** A platform flavor size: vCPUs, RAM in MB, disk in GB. */
export interface FlavorSize {
  readonly name: string;
  readonly vcpus: number;
  readonly ram: number;
  readonly disk: number;
}

/** The original fake platform's FakeFlavorList (platform/fake/fake.go). */
export const FAKE_FLAVOR_LIST: readonly FlavorSize[] = [
  { name: 'x1.tiny', vcpus: 1, ram: 1024, disk: 20 },
  { name: 'x1.small', vcpus: 2, ram: 4096, disk: 40 },
];

/**
 * The same family continued upwards, for platforms on real hosts that cap it to what
 * the host has (the original's fake stops at x1.small).
 */
export const HOST_FLAVOR_LIST: readonly FlavorSize[] = [
  ...FAKE_FLAVOR_LIST,
  { name: 'x1.medium', vcpus: 4, ram: 8192, disk: 80 },
  { name: 'x1.large', vcpus: 8, ram: 16384, disk: 160 },
];

/** The original's rootLB flavor, also the size of the fake platform VM. */
export const ROOT_LB_FLAVOR: FlavorSize = { name: 'rootlb-flavor', vcpus: 2, ram: 4096, disk: 40 };

/** A FlavorInfo message for a size. */
export function flavorInfo(size: FlavorSize): edgeproto.FlavorInfo {
  return create(edgeproto.FlavorInfoSchema, {
    name: size.name,
    vcpus: BigInt(size.vcpus),
    ram: BigInt(size.ram),
    disk: BigInt(size.disk),
  });
}

/** The size as bigints, for resource sums. */
export function flavorUsage(size: FlavorSize): { ram: bigint; vcpus: bigint; disk: bigint } {
  return { ram: BigInt(size.ram), vcpus: BigInt(size.vcpus), disk: BigInt(size.disk) };
}
