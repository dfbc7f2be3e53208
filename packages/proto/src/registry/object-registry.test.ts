import { create } from '@bufbuild/protobuf';
import { allFiles, edgeproto } from '../gen';
import { NotifyDirection, NotifyKind, RbacAction } from '../gen/options/options_pb';
import { ObjectRegistry } from './object-registry';

const reg = new ObjectRegistry(allFiles);

describe('ObjectRegistry', () => {
  it('knows every regional object of the schema', () => {
    const names = reg.all().map((t) => t.name);
    for (const n of [
      'Flavor',
      'OperatorCode',
      'Cloudlet',
      'CloudletInfo',
      'CloudletPool',
      'ClusterInst',
      'ClusterInstInfo',
      'App',
      'AppInst',
      'AppInstInfo',
      'AutoProvPolicy',
      'AutoScalePolicy',
      'TrustPolicy',
      'TrustPolicyException',
      'ResTagTable',
      'Network',
      'VMPool',
      'AlertPolicy',
      'Alert',
      'Settings',
      'Node',
      'Controller',
      'AppInstRefs',
      'ClusterRefs',
      'CloudletRefs',
    ]) {
      expect(names).toContain(n);
    }
    expect(reg.keys().map((k) => k.name)).toEqual(
      expect.arrayContaining(['AppKey', 'CloudletKey', 'AppInstKey']),
    );
  });

  it('renders keys as the original does', () => {
    const app = reg.get('App');
    const a = create(edgeproto.AppSchema, {
      key: { organization: 'o', name: 'a', version: '1' },
      imagePath: 'x',
    });
    expect(app.keyJson(a)).toBe('{"organization":"o","name":"a","version":"1"}');
    expect(app.keyString(a)).toBe('App/{"organization":"o","name":"a","version":"1"}');
    const cloudlet = reg.get('Cloudlet');
    const c = create(edgeproto.CloudletSchema, { key: { organization: 'op', name: 'c1' } });
    expect(cloudlet.keyJson(c)).toBe('{"organization":"op","name":"c1"}');
    const inst = create(edgeproto.AppInstSchema, {
      key: {
        appKey: { organization: 'o', name: 'a', version: '1' },
        clusterInstKey: {
          clusterKey: { name: 'autocluster' },
          cloudletKey: { organization: 'op', name: 'c1' },
          organization: 'o',
        },
      },
    });
    expect(reg.get('AppInst').keyJson(inst)).toBe(
      '{"app_key":{"organization":"o","name":"a","version":"1"},"cluster_inst_key":{"cluster_key":{"name":"autocluster"},"cloudlet_key":{"organization":"op","name":"c1"},"organization":"o"}}',
    );
    expect(
      reg
        .get('OperatorCode')
        .keyJson(create(edgeproto.OperatorCodeSchema, { code: '310-410', organization: 'op' })),
    ).toBe('310-410');
    const alert = create(edgeproto.AlertSchema, { labels: { region: 'local', alertname: 'AppInstDown' } });
    expect(reg.get('Alert').keyJson(alert)).toBe('{"alertname":"AppInstDown","region":"local"}');
    const settings = reg.get('Settings');
    expect(settings.singleton).toBe(true);
    expect(settings.keyString(create(edgeproto.SettingsSchema))).toBe('Settings');
  });

  it('finds references, including nested and repeated ones', () => {
    const paths = (name: string): string[] =>
      reg.get(name).references.map((r) => `${r.path.join('.')}→${r.target}`);
    expect(paths('AppInst')).toEqual(expect.arrayContaining(['key.app_key→App', 'flavor→Flavor']));
    expect(paths('App')).toEqual(expect.arrayContaining(['default_flavor→Flavor']));
    expect(paths('CloudletPool')).toEqual(expect.arrayContaining(['cloudlets→Cloudlet']));
    expect(paths('AutoProvPolicy')).toEqual(expect.arrayContaining(['cloudlets.key→Cloudlet']));
    expect(paths('Cloudlet')).toEqual(expect.arrayContaining(['res_tag_map→ResTagTable']));
    const pool = create(edgeproto.CloudletPoolSchema, {
      key: { organization: 'op', name: 'p' },
      cloudlets: [
        { organization: 'op', name: 'c1' },
        { organization: 'op', name: 'c2' },
      ],
    });
    expect(
      reg
        .get('CloudletPool')
        .referenceValues(pool)
        .map((v) =>
          reg
            .get('Cloudlet')
            .keyJson(create(edgeproto.CloudletSchema, { key: v.value as edgeproto.CloudletKey })),
        ),
    ).toEqual(['{"organization":"op","name":"c1"}', '{"organization":"op","name":"c2"}']);
  });

  it('reads notify and RBAC options', () => {
    const inst = reg.get('AppInst');
    expect(inst.notifyKind).toBe(NotifyKind.CACHE);
    expect(inst.notifyDirection).toBe(NotifyDirection.DOWN);
    expect(inst.notifyFilterCloudletKey).toBe(true);
    expect(inst.trackedState).toBe(true);
    expect(inst.rbacResource).toBe('appinsts');
    expect(inst.rbacOrgField).toBe('key.app_key.organization');
    expect(inst.cliAliases['appname']).toBe('key.app_key.name');
    const info = reg.get('CloudletInfo');
    expect(info.notifyKind).toBe(NotifyKind.FLUSH);
    expect(info.notifyDirection).toBe(NotifyDirection.UP);
    expect(info.infoFor).toBe('Cloudlet');
    const create_ = reg.rpc('CreateAppInst');
    expect(create_).toMatchObject({
      rbacResource: 'appinsts',
      rbacAction: RbacAction.MANAGE,
      streamProgress: true,
    });
    expect(reg.rpc('ShowAppInst')).toMatchObject({ rbacAction: RbacAction.VIEW, streamProgress: false });
    expect(reg.rpc('CreateFlavor')).toMatchObject({ rbacResource: 'flavors', adminOnly: true });
    expect(reg.rpc('ShowCloudletInfo')?.rbacResource).toBe('cloudletanalytics');
    expect(reg.rpc('CreateAppInst')?.rbacOrgField).toBe('key.app_key.organization');
    expect(reg.rpc('AddAppAutoProvPolicy')?.rbacOrgField).toBe('app_key.organization');
    expect(reg.rpc('UpdateSettings')).toMatchObject({ rbacResource: 'config', adminOnly: true });
  });
});
