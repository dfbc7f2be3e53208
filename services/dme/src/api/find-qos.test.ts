import { create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import { QosSessionSim } from '../../../../e2e/sims/operator';
import { createOperatorApi } from '../operator';
import { DefaultOperator } from '../operator/default-operator';
import { DmeTable } from '../state/dme-table';
import type { DmeApp } from '../state/model';
import { appKey, putApp } from '../testing/fixtures';
import { FindCloudletQos, resolveIpv4 } from './find-qos';

const R = dme.FindCloudletReply_QosSessionResult;
const P = edgeproto.QosSessionProfile;
const found = (fqdn = '10.1.1.1') =>
  create(dme.FindCloudletReplySchema, {
    status: dme.FindCloudletReply_FindStatus.FIND_FOUND,
    fqdn,
    qosResult: R.QOS_NOT_ATTEMPTED,
  });
const UE = { ip_user_equipment: '192.168.1.20' };

describe('FindCloudlet QoS sessions against the QoS session sim', () => {
  const sim = new QosSessionSim();
  const table = new DmeTable();
  const app = (name: string, init: Record<string, unknown>): DmeApp => {
    putApp(table, { name, ...init });
    return table.apps.get(JSON.stringify(appKey(name)))!;
  };
  let qos: FindCloudletQos;

  beforeAll(async () => {
    await sim.start();
    qos = new FindCloudletQos({ operator: createOperatorApi({ qosSesAddr: sim.url }) });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.sessions.clear());

  it('creates a session for an App with a QoS profile: first port, its protocol, 24 h by default', async () => {
    const a = app('lowlat', { qosSessionProfile: P.QOS_LOW_LATENCY, accessPorts: 'tcp:7777,udp:8000' });
    const r = await qos.apply(found(), a, UE);
    expect(r.qosResult).toBe(R.QOS_SESSION_CREATED);
    expect(r.qosErrorMsg).toBe('');
    const [s] = [...sim.sessions.values()];
    expect(s).toMatchObject({
      ueAddr: '192.168.1.20',
      asAddr: '10.1.1.1',
      asPorts: '7777',
      protocolIn: 'TCP',
      qos: 'LOW_LATENCY',
      duration: 86400,
    });
    expect(r.tags).toEqual({ priority_session_id: s!.id, qos_profile_name: 'QOS_LOW_LATENCY' });
  });

  it("uses the App's duration and a UDP first port; resolves the instance FQDN", async () => {
    const a = app('thru', {
      qosSessionProfile: P.QOS_THROUGHPUT_DOWN_M,
      qosSessionDuration: 600_000_000_000n,
      accessPorts: 'udp:9000',
    });
    const r = await qos.apply(found('localhost'), a, UE);
    expect(r.qosResult).toBe(R.QOS_SESSION_CREATED);
    expect([...sim.sessions.values()][0]).toMatchObject({
      asAddr: '127.0.0.1',
      asPorts: '9000',
      protocolIn: 'UDP',
      qos: 'THROUGHPUT_M',
      duration: 600,
    });
    expect(r.tags['qos_profile_name']).toBe('QOS_THROUGHPUT_DOWN_M');
  });

  it('does not attempt without a profile; fails with the original reasons otherwise', async () => {
    const none = await qos.apply(found(), app('plain', {}), UE);
    expect(none.qosResult).toBe(R.QOS_NOT_ATTEMPTED);
    const a = app('q', { qosSessionProfile: P.QOS_LOW_LATENCY });
    const noUe = await qos.apply(found(), a, {});
    expect([noUe.qosResult, noUe.qosErrorMsg]).toEqual([
      R.QOS_SESSION_FAILED,
      'ip_user_equipment value not found in tags',
    ]);
    const unresolved = new FindCloudletQos({
      operator: createOperatorApi({ qosSesAddr: sim.url }),
      resolveIpv4: () => Promise.resolve(undefined),
    });
    const noAs = await unresolved.apply(found('nowhere.example'), a, UE);
    expect(noAs.qosErrorMsg).toBe('Could not decode app inst FQDN');
    const noPort = await qos.apply(found(), app('noports', { qosSessionProfile: 1, accessPorts: '' }), UE);
    expect(noPort.qosErrorMsg).toBe('Unknown port protocol.');
    const badUe = await qos.apply(found(), a, { ip_user_equipment: 'phone' });
    expect([badUe.qosResult, badUe.qosErrorMsg]).toEqual([
      R.QOS_SESSION_FAILED,
      'Invalid Address for IpUserEquipment: phone',
    ]);
    expect(badUe.tags).toEqual({});
    expect(sim.sessions.size).toBe(0);
  });

  it('fails when the QoS server answers no session id', async () => {
    const noId = new FindCloudletQos({
      operator: Object.assign(new DefaultOperator(), {
        createQosSession: () =>
          Promise.resolve(create(dme.QosPrioritySessionReplySchema, { httpStatus: 201 })),
      }),
    });
    const r = await noId.apply(found(), app('q2', { qosSessionProfile: 1 }), UE);
    expect(r.qosErrorMsg).toBe('No session ID received from QOS API server');
  });

  it('only an operator with a QoS session server makes FindCloudlet try', () => {
    expect(createOperatorApi({ qosSesAddr: sim.url }).hasQosSessionServer).toBe(true);
    expect(createOperatorApi({}).hasQosSessionServer ?? false).toBe(false);
  });
});

describe('resolveIpv4', () => {
  it('keeps IPv4 literals and resolves names; nothing for empty names', async () => {
    expect(await resolveIpv4('10.0.0.7')).toBe('10.0.0.7');
    expect(await resolveIpv4('localhost')).toBe('127.0.0.1');
    expect(await resolveIpv4('')).toBeUndefined();
  });
});
