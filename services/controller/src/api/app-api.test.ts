import { create } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { placementHandlers } from '../placement';
import { app, appInst, cluster, flavors, PLATFORM_FLAVORS } from '../placement/testing/fixtures';
import { refused, refusedDelete } from '../placement/testing/refusal';
import { placementWorld, readyCloudlet, recorder, type PlacementWorld } from '../placement/testing/world';

describe('App rules', () => {
  let w: PlacementWorld;
  let c1: edgeproto.CloudletKey;
  const call = (rpc: string, req: unknown) =>
    (placementHandlers(w.deps)[rpc] as (r: unknown) => Promise<unknown>)(req);
  beforeAll(async () => {
    w = await placementWorld();
    await flavors(w);
    c1 = await readyCloudlet(w, 'c1', PLATFORM_FLAVORS);
  });
  afterAll(() => w.close());

  it.each([
    ['noflavor', { defaultFlavor: { name: '' } }, 'Default flavor must be specified'],
    ['baddep', { deployment: 'lambda' }, 'Invalid deployment, must be one of [kubernetes vm helm docker]'],
    [
      'qcowdocker',
      { imageType: edgeproto.ImageType.QCOW, deployment: 'docker' },
      'Deployment is not valid for image type',
    ],
    ['ports', { accessPorts: 'tcp:80,udp:10000-10010,tcp:443:tls,udp:0' }, 'App ports out of range'],
    [
      'md5',
      { imageType: edgeproto.ImageType.QCOW, imagePath: '' },
      'md5sum should be provided if imagepath is not specified',
    ],
    ['direct', { accessType: edgeproto.AccessType.DIRECT }, 'Access Type Direct no longer supported'],
    [
      'vmcmd',
      { imageType: edgeproto.ImageType.QCOW, command: 'run', md5sum: 'x' },
      'Invalid argument, command is not supported for VM based deployments',
    ],
    [
      'sl',
      { allowServerless: true, deployment: 'docker' },
      'Allow serverless only supported for deployment type Kubernetes',
    ],
    [
      'qos',
      { qosSessionDuration: 10n },
      'QosSessionDuration cannot be specified without setting QosSessionProfile',
    ],
    ['hc', { accessPorts: 'tcp:80', skipHcPorts: 'tcp:81' }, 'skipHcPort 81 not found in accessPorts'],
  ] as const)('refuses %s with the original message', async (name, extra, message) => {
    expect(await refused(w, () => w.api('App').create(app(name, extra as Partial<edgeproto.App>)))).toEqual([
      Code.INVALID_ARGUMENT,
      message,
    ]);
  });

  it('defaults the deployment from the image type and keeps an AppInstRefs record', async () => {
    const a = await w.api<edgeproto.App>('App').create(app('k8s', { accessPorts: 'tcp:80' }));
    expect([a.deployment, a.accessType]).toEqual(['kubernetes', edgeproto.AccessType.LOAD_BALANCER]);
    expect(w.get('AppInstRefs', create(edgeproto.AppInstRefsSchema, { key: a.key }))).toBeDefined();
  });

  it('restricts updates while AppInsts exist', async () => {
    await w.api('App').create(app('dock', { deployment: 'docker', accessPorts: 'tcp:80' }));
    await w.deps.tracked().create('ClusterInst', cluster('d1', c1, { deployment: 'docker' }), recorder());
    await w.deps.tracked().create('AppInst', appInst('dock', 'd1', c1), recorder());
    const upd = (extra: Partial<edgeproto.App>, fields: string[]) => () =>
      w.api('App').update(app('dock', { ...extra, fields }));
    expect(await refused(w, upd({ accessPorts: 'tcp:81' }, ['access_ports']))).toEqual([
      Code.FAILED_PRECONDITION,
      'Cannot update Access Ports when AppInst exists',
    ]);
    expect(await refused(w, upd({ deploymentManifest: 'compose.yml' }, ['deployment_manifest']))).toEqual([
      Code.FAILED_PRECONDITION,
      'Cannot change App manifest from : docker to: docker-compose when AppInsts exist',
    ]);
    await w.api('App').update(app('dock', { command: 'run', fields: ['command'] }));
  });

  it('refuses updates of VM Apps with AppInsts except always-allowed fields', async () => {
    const vm = {
      imageType: edgeproto.ImageType.QCOW,
      imagePath: 'https://artifacts.example.com/vm.qcow2',
      md5sum: 'x',
    };
    await w.api('App').create(app('vm1', vm));
    await w.deps.tracked().create('AppInst', appInst('vm1', '', c1), recorder());
    expect(
      await refused(w, () =>
        w.api('App').update(app('vm1', { ...vm, annotations: 'a=b', fields: ['annotations'] })),
      ),
    ).toEqual([
      Code.FAILED_PRECONDITION,
      'Update App field Annotations not supported for deployment: vm when AppInsts exist',
    ]);
    await w.api('App').update(app('vm1', { ...vm, trusted: true, fields: ['trusted'] }));
  });

  it('refuses deleting an App with a static AppInst', async () => {
    expect(await refusedDelete(w, 'App', app('dock'))).toEqual([
      Code.FAILED_PRECONDITION,
      'Application in use by static AppInst {"app_key":{"organization":"dev","name":"dock","version":"1"},"cluster_inst_key":{"cluster_key":{"name":"d1"},"cloudlet_key":{"organization":"op","name":"c1"},"organization":"dev"}}',
    ]);
  });

  it('adds and removes auto-provisioning and alert policies', async () => {
    const req = { appKey: { organization: 'dev', name: 'k8s', version: '1' }, autoProvPolicy: 'ap' };
    expect(await refused(w, () => call('AddAppAutoProvPolicy', req))).toEqual([
      Code.NOT_FOUND,
      'Policy key {"organization":"dev","name":"ap"} not found',
    ]);
    await w.api('AutoProvPolicy').create(
      create(edgeproto.AutoProvPolicySchema, {
        key: { organization: 'dev', name: 'ap' },
        deployClientCount: 1,
      }),
    );
    await call('AddAppAutoProvPolicy', req);
    expect(await refused(w, () => call('AddAppAutoProvPolicy', req))).toEqual([
      Code.FAILED_PRECONDITION,
      'AutoProvPolicy ap already on App',
    ]);
    await call('RemoveAppAutoProvPolicy', req);
    const alert = { appKey: req.appKey, alertPolicy: 'al' };
    expect(await refused(w, () => call('RemoveAppAlertPolicy', alert))).toEqual([
      Code.NOT_FOUND,
      'AlertPolicy key {} not found',
    ]);
  });
});
