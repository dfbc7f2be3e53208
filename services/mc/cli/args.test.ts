import { ObjectRegistry, allFiles } from '@edge/proto';
import { parseArgs, resolveAlias, type ArgsSpec } from './args';
import type { CommandDef } from './command';
import { ctrlCommands } from './ctrl-commands';

const cmds = ctrlCommands(new ObjectRegistry(allFiles));
const spec = (path: string): ArgsSpec => {
  const c = cmds.find((x: CommandDef) => x.path === `/auth/ctrl/${path}`);
  if (!c?.args) throw new Error(`no command for ${path}`);
  return c.args;
};
const create = (args: string[]): Record<string, unknown> => parseArgs(args, spec('CreateAppInst'));
const KEY = ['region=EU', 'apporg=dev', 'appname=a', 'appvers=1.0', 'cloudletorg=op', 'cloudlet=cl'];

describe('parseArgs', () => {
  it('maps aliases and dotted lowercase paths to proto JSON names', () => {
    expect(
      create([...KEY, 'cluster=c1', 'appinst.key.clusterinstkey.organization=dev', 'crmoverride=IgnoreCrm']),
    ).toEqual({
      region: 'EU',
      appinst: {
        key: {
          app_key: { organization: 'dev', name: 'a', version: '1.0' },
          cluster_inst_key: {
            cloudlet_key: { organization: 'op', name: 'cl' },
            cluster_key: { name: 'c1' },
            organization: 'dev',
          },
        },
        crm_override: 'IGNORE_CRM',
      },
    });
  });

  it('accepts unprefixed field paths and proto names with underscores', () => {
    const d = create([...KEY, 'dedicatedip=true', 'power_state=PowerOn']);
    expect(d['appinst']).toMatchObject({ dedicated_ip: true, power_state: 'POWER_ON' });
  });

  it('builds lists of structs from list:N.field', () => {
    const d = create([...KEY, 'configs:0.kind=envVarsYaml', 'configs:1.kind=helm', 'configs:0.config=a: b']);
    expect((d['appinst'] as Record<string, unknown>)['configs']).toEqual([
      { kind: 'envVarsYaml', config: 'a: b' },
      { kind: 'helm' },
    ]);
  });

  it('builds maps from repeated key=K=V and lists of strings from repeated values', () => {
    const d = parseArgs(
      ['region=EU', 'name=p', 'alertorg=o', 'labels=a=1', 'labels=b="x y"', 'labels=c=k=v'],
      spec('CreateAlertPolicy'),
    );
    expect((d['alertpolicy'] as Record<string, unknown>)['labels']).toEqual({ a: '1', b: 'x y', c: 'k=v' });
    expect(() => parseArgs(['region=EU', 'labels=novalue'], spec('ShowAlertPolicy'))).toThrow(
      'parsing arg "labels=novalue" failed: value "novalue" must be formatted as key=value',
    );
    const app = parseArgs(
      ['region=EU', 'apporg=o', 'appname=a', 'appvers=1', 'autoprovpolicies=p1', 'autoprovpolicies=p2'],
      spec('CreateApp'),
    );
    expect((app['app'] as Record<string, unknown>)['auto_prov_policies']).toEqual(['p1', 'p2']);
  });

  it('sets an empty list or map with :empty=true and ignores :empty=false', () => {
    const u = parseArgs([...KEY, 'configs:empty=true'], spec('UpdateAppInst'));
    expect((u['appinst'] as Record<string, unknown>)['configs']).toEqual([]);
    const v = parseArgs([...KEY, 'configs:empty=false'], spec('UpdateAppInst'));
    expect((v['appinst'] as Record<string, unknown>)['configs']).toBeUndefined();
  });

  it('reads values by field type', () => {
    const d = parseArgs(['region=EU', 'name=f1', 'ram=1024', 'vcpus=2', 'disk=20'], spec('CreateFlavor'));
    expect(d).toEqual({ region: 'EU', flavor: { key: { name: 'f1' }, ram: 1024, vcpus: 2, disk: 20 } });
  });

  it('reports type errors in the original wording', () => {
    expect(() => parseArgs(['region=EU', 'name=f1', 'ram=lots'], spec('CreateFlavor'))).toThrow(
      'parsing arg "ram=lots" failed: unable to parse "lots" as uint64: invalid syntax',
    );
    expect(() => create([...KEY, 'dedicatedip=maybe'])).toThrow(
      'parsing arg "dedicatedip=maybe" failed: unable to parse "maybe" as bool: invalid syntax, valid values are true, false',
    );
    expect(() => create([...KEY, 'powerstate=Sideways'])).toThrow(
      /parsing arg "powerstate=Sideways" failed: unable to parse "Sideways" as PowerState: invalid format, valid values are one of .*PowerOn/,
    );
  });

  it('rejects malformed, unknown, missing and system-set args', () => {
    expect(() => create([...KEY, 'oops'])).toThrow('arg "oops" not name=val format');
    expect(() => create([...KEY, 'bogus=1'])).toThrow(
      'parsing arg "bogus=1" failed: invalid argument: key "bogus" not found',
    );
    expect(() => create(['region=EU', 'apporg=dev'])).toThrow(
      'missing required args: appname appvers cloudletorg cloudlet',
    );
    expect(() => create([...KEY, 'state=Ready', 'uri=x'])).toThrow('invalid args: state uri');
    // A show may filter on system-set fields.
    expect(parseArgs(['region=EU', 'state=Ready'], spec('ShowAppInst'))).toEqual({
      region: 'EU',
      appinst: { state: 'READY' },
    });
  });

  it('resolves list aliases with their indices and :empty', () => {
    const aliases = { 'appinsts:#.apporg': 'appinsts:#.appkey.organization', configs: 'appinst.configs' };
    expect(resolveAlias('appinsts:3.apporg', aliases)).toBe('appinsts:3.appkey.organization');
    expect(resolveAlias('configs:empty', aliases)).toBe('appinst.configs:empty');
  });
});
