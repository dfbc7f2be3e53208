import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { VmResource } from '../placement/resources';
import { alertThreshold, resourceWarnings, type WarningInput } from './resource-warnings';

type CloudletInit = Pick<
  MessageInitShape<typeof edgeproto.CloudletSchema>,
  'defaultResourceAlertThreshold' | 'resourceQuotas'
>;
const cloudlet = (init: CloudletInit = {}): edgeproto.Cloudlet =>
  create(edgeproto.CloudletSchema, { key: { organization: 'op', name: 'c1' }, ...init });
const infra = (name: string, value: bigint, infraMaxValue: bigint): edgeproto.InfraResource =>
  create(edgeproto.InfraResourceSchema, { name, value, infraMaxValue });
const vm = (ram: bigint, owner = 'c["k1","dev"]'): VmResource => ({
  flavor: create(edgeproto.FlavorInfoSchema, { name: 'f', ram, vcpus: 1n, disk: 10n }),
  type: 'docker-cluster-node',
  owner,
});
const warnings = (a: Partial<WarningInput>): string[] =>
  resourceWarnings({
    cloudlet: cloudlet({ defaultResourceAlertThreshold: 80 }),
    snapshot: [],
    all: [],
    diff: [],
    tbls: undefined,
    skipInfra: false,
    ...a,
  });

describe('alertThreshold', () => {
  it("takes the quota's threshold, else the cloudlet default, else the original's 80", () => {
    const c = cloudlet({
      defaultResourceAlertThreshold: 70,
      resourceQuotas: [
        { name: 'RAM', value: 1n, alertThreshold: 50 },
        { name: 'Disk', value: 1n },
      ],
    });
    expect([alertThreshold(c, 'RAM'), alertThreshold(c, 'Disk'), alertThreshold(c, 'GPUs')]).toEqual([
      50, 70, 70,
    ]);
    expect(alertThreshold(cloudlet(), 'RAM')).toBe(80);
  });
});

describe('resourceWarnings', () => {
  it('warns on infra usage strictly over the threshold, counting what the CRM does not report yet', () => {
    expect(warnings({ snapshot: [infra('RAM', 8000n, 10000n)] })).toEqual([]);
    expect(warnings({ snapshot: [infra('RAM', 8001n, 10000n)] })).toEqual([
      'More than 80% of RAM is used on the infra managed by the cloudlet',
    ]);
    const pending = vm(1000n);
    expect(warnings({ snapshot: [infra('RAM', 7500n, 10000n)], all: [pending], diff: [pending] })).toEqual([
      'More than 80% of RAM is used on the infra managed by the cloudlet',
    ]);
  });

  it("warns on the Controller's own accounting against the quota (else the infra max)", () => {
    const c = cloudlet({
      defaultResourceAlertThreshold: 80,
      resourceQuotas: [{ name: 'RAM', value: 4096n, alertThreshold: 50 }],
    });
    // the CRM already reports the VM: nothing pending for the infra check
    expect(warnings({ cloudlet: c, all: [vm(2048n)] })).toEqual([]);
    expect(warnings({ cloudlet: c, all: [vm(2049n)] })).toEqual([
      'More than 50% of RAM is used by the cloudlet',
    ]);
    expect(warnings({ snapshot: [infra('vCPUs', 0n, 2n)], all: [vm(1n), vm(1n)] })).toEqual([
      'More than 80% of vCPUs is used by the cloudlet',
    ]);
  });

  it('reports invalid quotas', () => {
    const c = cloudlet({
      defaultResourceAlertThreshold: 80,
      resourceQuotas: [
        { name: 'RAM', value: 9000n },
        { name: 'vCPUs', value: 1n, alertThreshold: 100 },
      ],
    });
    expect(warnings({ cloudlet: c, snapshot: [infra('RAM', 0n, 8192n)], all: [vm(0n), vm(0n)] })).toEqual([
      '[Quota] Invalid quota set for RAM, quota max value 9000 is more than infra max value 8192',
      '[Quota] Invalid quota set for vCPUs, quota max value 1 is less than used resource value 2',
      'More than 100% of vCPUs is used by the cloudlet',
    ]);
  });

  it("counts the fake platform's Instances per VM; ignores resources it doesn't track", () => {
    const snapshot = [infra('Instances', 0n, 2n), infra('Floating IPs', 10n, 10n)];
    expect(warnings({ snapshot, all: [vm(1n), vm(1n)], diff: [vm(1n), vm(1n)] })).toEqual([
      'More than 80% of Instances is used by the cloudlet',
      'More than 80% of Instances is used on the infra managed by the cloudlet',
    ]);
  });

  it("skips the infra check when the CRM's snapshot can't be reconciled", () => {
    expect(warnings({ snapshot: [infra('RAM', 9000n, 10000n)], skipInfra: true })).toEqual([]);
  });
});
