import { edgeproto } from '@edge/proto';
import { loadShepherdConfig, parsePlatformType } from './config';

describe('Shepherd config', () => {
  it('reads the original flags with their defaults', () => {
    const cfg = loadShepherdConfig({
      argv: ['--cloudletKey={"organization":"op","name":"c1"}', '--platform', 'PLATFORM_TYPE_LOCAL'],
    });
    expect(cfg.cloudletKey).toMatchObject({ organization: 'op', name: 'c1' });
    expect(cfg.notifyAddrs).toEqual(['127.0.0.1:51001']);
    expect(cfg.region).toBe('local');
    expect(parsePlatformType(cfg.platform)).toBe(edgeproto.PlatformType.LOCAL);
    expect(cfg.healthCheckHost).toBe('');
  });

  it('refuses a bad cloudlet key or platform, naming the field', () => {
    expect(() => loadShepherdConfig({ argv: ['--cloudletKey=nope'] })).toThrow(
      'invalid configuration: cloudletKey: expected cloudlet key JSON, got "nope"',
    );
    expect(() => loadShepherdConfig({ argv: ['--cloudletKey={"name":"c1"}'] })).toThrow(
      'invalid configuration: cloudletKey: expected a cloudlet key with organization and name',
    );
    expect(() =>
      loadShepherdConfig({ argv: ['--cloudletKey={"organization":"op","name":"c1"}', '--platform=mars'] }),
    ).toThrow('invalid configuration: platform: unknown platform "mars"');
  });

  it('accepts short platform names', () => {
    expect(parsePlatformType('fake')).toBe(edgeproto.PlatformType.FAKE);
    expect(parsePlatformType('openstack')).toBe(edgeproto.PlatformType.OPENSTACK);
    expect(parsePlatformType('')).toBeUndefined();
  });
});
