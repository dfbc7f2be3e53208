import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { getVmSpec, gpuHint, type ResTables } from './vmspec';

const info = (flavors: [string, number, number, number, Record<string, string>?][]): edgeproto.CloudletInfo =>
  create(edgeproto.CloudletInfoSchema, {
    key: { organization: 'op', name: 'c1' },
    flavors: flavors.map(([name, vcpus, ram, disk, propMap]) => ({
      name,
      vcpus: BigInt(vcpus),
      ram: BigInt(ram),
      disk: BigInt(disk),
      propMap: propMap ?? {},
    })),
  });
const flavor = (
  name: string,
  vcpus: number,
  ram: number,
  disk: number,
  optResMap: Record<string, string> = {},
) =>
  create(edgeproto.FlavorSchema, {
    key: { name },
    vcpus: BigInt(vcpus),
    ram: BigInt(ram),
    disk: BigInt(disk),
    optResMap,
  });

const CLOUDLET = info([
  ['m4.xlarge', 8, 16384, 80],
  ['m4.small', 2, 2048, 20],
  ['m4.medium', 2, 4096, 40],
  ['m4.vol', 4, 8192, 0],
  ['m4.gpu', 4, 8192, 40],
]);
const GPU_TABLES: ResTables = {
  gpu: create(edgeproto.ResTagTableSchema, {
    key: { name: 'gpu', organization: 'op' },
    tags: { pci: 't4gpu' },
  }),
};

describe('getVmSpec', () => {
  it('picks the smallest platform flavor that fits', () => {
    expect(getVmSpec(flavor('x1.small', 1, 1024, 10), CLOUDLET, undefined).flavorName).toBe('m4.small');
    expect(getVmSpec(flavor('x1.medium', 2, 3000, 30), CLOUDLET, undefined).flavorName).toBe('m4.medium');
  });

  it('uses a volume-backed flavor for a large disk, with an external volume of the requested size', () => {
    const spec = getVmSpec(flavor('x1.disk', 3, 4096, 60), CLOUDLET, undefined);
    expect([spec.flavorName, spec.externalVolumeSize]).toEqual(['m4.vol', 60n]);
  });

  it('skips flavors named gpu unless a GPU is requested', () => {
    const gpuCloudlet = info([
      ['m4.gpu', 4, 8192, 40, { pci_passthrough: 'alias=t4gpu:1' }],
      ['m4.large', 8, 16384, 80],
    ]);
    expect(getVmSpec(flavor('x1.big', 4, 8192, 40), gpuCloudlet, GPU_TABLES).flavorName).toBe('m4.large');
    const spec = getVmSpec(flavor('x1.gpu', 4, 8192, 40, { gpu: 'pci:1' }), gpuCloudlet, GPU_TABLES);
    expect(spec.flavorName).toBe('m4.gpu');
    expect(gpuHint(spec, GPU_TABLES)).toBe('gpu');
  });

  it("refuses GPU requests a cloudlet can't serve and flavors too big, with the original's messages", () => {
    expect(() => getVmSpec(flavor('x1.gpu', 1, 1024, 10, { gpu: 'gpu:1' }), CLOUDLET, undefined)).toThrow(
      "Cloudlet c1 doesn't support GPU",
    );
    expect(() => getVmSpec(flavor('x1.huge', 64, 1024, 10), CLOUDLET, undefined)).toThrow(
      'no suitable platform flavor found for x1.huge, please try a smaller flavor',
    );
  });

  it('takes the mex flavor as is when the cloudlet lists no flavors', () => {
    expect(getVmSpec(flavor('x1.any', 3, 3000, 3), info([]), undefined).flavorName).toBe('x1.any');
  });
});
