/**
 * Infra resource names and units as the original reports them (cloudcommon/infraresources.go),
 * so the Controller's quota checks and alerts read the same names from every platform.
 */
import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';

export const RESOURCE_RAM = 'RAM';
export const RESOURCE_VCPUS = 'vCPUs';
export const RESOURCE_DISK = 'Disk';
export const RESOURCE_GPUS = 'GPUs';
export const RESOURCE_EXTERNAL_IPS = 'External IPs';
export const RESOURCE_INSTANCES = 'Instances';

export const RAM_UNITS = 'MB';
export const DISK_UNITS = 'GB';

/** VM roles reported in VmInfo.type (the original's cloudcommon.NodeType* strings). */
export const NODE_TYPE = {
  platformVm: 'platformvm',
  sharedRootLb: 'sharedrootlb',
  dedicatedRootLb: 'dedicatedrootlb',
  clusterMaster: 'cluster-master',
  clusterK8sNode: 'cluster-k8s-node',
  clusterDockerNode: 'cluster-docker-node',
  appVm: 'appvm',
} as const;

/** One InfraResource row; `max` 0 means the infrastructure reports no limit. */
export function infraResource(
  name: string,
  value: number | bigint,
  max: number | bigint = 0,
  units = '',
): edgeproto.InfraResource {
  return create(edgeproto.InfraResourceSchema, {
    name,
    value: BigInt(value),
    infraMaxValue: BigInt(max),
    units,
  });
}

/** RAM (MB), vCPUs and Disk (GB) in use. */
export interface ComputeUsage {
  ram: bigint;
  vcpus: bigint;
  disk: bigint;
}

/** Adds a flavor's size to a usage total, in place. */
export function addFlavor(
  total: ComputeUsage,
  flavor: { readonly ram: bigint; readonly vcpus: bigint; readonly disk: bigint },
): void {
  total.ram += flavor.ram;
  total.vcpus += flavor.vcpus;
  total.disk += flavor.disk;
}
