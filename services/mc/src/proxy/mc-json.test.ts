import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { camelName, fromMcJson, toMcJson } from './mc-json';

describe('MC JSON of edgeproto objects', () => {
  it('writes snake_case names, CamelName enums, numeric 64-bit ints, no zero values', () => {
    const f = create(edgeproto.FlavorSchema, { key: { name: 'x1' }, ram: 1024n, vcpus: 1n });
    expect(toMcJson(edgeproto.FlavorSchema, f)).toEqual({ key: { name: 'x1' }, ram: 1024, vcpus: 1 });
    const c = create(edgeproto.CloudletSchema, { state: edgeproto.TrackedState.READY, numDynamicIps: 3 });
    expect(toMcJson(edgeproto.CloudletSchema, c)).toEqual({ state: 'Ready', num_dynamic_ips: 3 });
    expect(camelName('IMAGE_TYPE_DOCKER')).toBe('ImageTypeDocker');
  });

  it('reads snake_case or lowerCamel names and enums by proto name, CamelName or number', () => {
    for (const imageType of ['IMAGE_TYPE_DOCKER', 'ImageTypeDocker', 1]) {
      const a = fromMcJson<edgeproto.App>(edgeproto.AppSchema, {
        image_type: imageType,
        accessPorts: 'tcp:80',
      });
      expect([a.imageType, a.accessPorts]).toEqual([edgeproto.ImageType.DOCKER, 'tcp:80']);
    }
  });

  it('refuses unknown fields with a 400 naming them', () => {
    expect(() => fromMcJson(edgeproto.AppSchema, { nosuch: 1 })).toThrow(/^Invalid JSON data: .*nosuch/);
  });
});
