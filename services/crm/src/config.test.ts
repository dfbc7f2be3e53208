import { loadCrmConfig } from './config';

describe('CRM configuration', () => {
  it('reads flags with the original defaults', () => {
    const cfg = loadCrmConfig({
      argv: ['--cloudletKey={"organization":"op","name":"c1"}', '--notifyAddrs=a:1,b:2', '--platform=fake'],
    });
    expect(cfg.key.organization).toBe('op');
    expect(cfg.key.name).toBe('c1');
    expect(cfg.notifyAddrs).toEqual(['a:1', 'b:2']);
    expect(cfg.notifySrvAddr).toBe('127.0.0.1:51001');
    expect(cfg.accessApiAddr).toBe('127.0.0.1:41001');
    expect(cfg.controllerTimeout).toBe(60_000);
    expect(cfg.platform).toBe('fake');
  });

  it('names what is wrong', () => {
    expect(() => loadCrmConfig({ argv: [] })).toThrow('invalid configuration: cloudletKey:');
    expect(() => loadCrmConfig({ argv: ['--cloudletKey=nope'] })).toThrow(
      'invalid configuration: cloudletKey:',
    );
    expect(() => loadCrmConfig({ argv: ['--cloudletKey={"name":"c1"}'] })).toThrow(
      'invalid configuration: cloudletKey: organization and name are required',
    );
    expect(() =>
      loadCrmConfig({ argv: ['--cloudletKey={"organization":"o","name":"c"}', '--platform=aws'] }),
    ).toThrow('invalid configuration: platform:');
  });
});
