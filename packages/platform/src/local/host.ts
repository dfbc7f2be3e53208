/** What this host offers: the local platform's flavors and limits. */
import { statfsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { HOST_FLAVOR_LIST, type FlavorSize } from '../flavors';

/** This host's capacity: RAM in MB, vCPUs, disk of the data dir's file system in GB. */
export interface HostLimits {
  readonly ramMb: number;
  readonly vcpus: number;
  readonly diskGb: number;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** Capacity of this host; disk is the file system holding `dataDir`. */
export function hostLimits(dataDir: string): HostLimits {
  const fs = statfsSync(dataDir);
  return {
    ramMb: Math.floor(totalmem() / MB),
    vcpus: Math.max(1, cpus().length),
    diskGb: Math.floor((fs.blocks * fs.bsize) / GB),
  };
}

/** The x1.* flavor family with every size capped to what the host has. */
export function hostFlavors(limits: HostLimits): FlavorSize[] {
  return HOST_FLAVOR_LIST.map((f) => ({
    name: f.name,
    vcpus: Math.min(f.vcpus, limits.vcpus),
    ram: Math.min(f.ram, limits.ramMb),
    disk: Math.min(f.disk, limits.diskGb),
  }));
}
