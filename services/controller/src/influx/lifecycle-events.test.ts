import { create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import type { CacheChange } from '@edge/store';
import { lifecycleEvents, type EventType } from './lifecycle-events';

const S = edgeproto.TrackedState;
type Obj = edgeproto.AppInst | edgeproto.ClusterInst | edgeproto.Cloudlet;

function appInst(state: edgeproto.TrackedState, healthCheck = dme.HealthCheck.UNKNOWN): edgeproto.AppInst {
  return create(edgeproto.AppInstSchema, { state, healthCheck });
}
function clusterInst(state: edgeproto.TrackedState, reservedBy = ''): edgeproto.ClusterInst {
  return create(edgeproto.ClusterInstSchema, { state, reservedBy });
}
function put(old: Obj | undefined, obj: Obj): CacheChange<Obj> {
  return { type: 'put', keyJson: 'k', modRevision: 2, obj, ...(old ? { old } : {}) };
}
function names(type: EventType, c: CacheChange<Obj>): string[] {
  return lifecycleEvents(type, c).map((e) => `${e.event}/${e.status}`);
}

describe('lifecycleEvents', () => {
  it('records CREATED when an instance first becomes READY, not while it is being created', () => {
    expect(names('AppInst', put(undefined, appInst(S.CREATE_REQUESTED)))).toEqual([]);
    expect(names('AppInst', put(appInst(S.CREATE_REQUESTED), appInst(S.CREATING)))).toEqual([]);
    expect(names('AppInst', put(appInst(S.CREATING), appInst(S.READY)))).toEqual(['CREATED/UP']);
    expect(names('Cloudlet', put(undefined, create(edgeproto.CloudletSchema, { state: S.READY })))).toEqual([
      'CREATED/UP',
    ]);
    expect(names('ClusterInst', put(undefined, clusterInst(S.TRACKED_STATE_UNKNOWN)))).toEqual([
      'CREATED/UP',
    ]);
    expect(names('AppInst', put(appInst(S.READY), appInst(S.READY)))).toEqual([]);
  });

  it('records the update start, completion and failure', () => {
    expect(names('ClusterInst', put(clusterInst(S.READY), clusterInst(S.UPDATE_REQUESTED)))).toEqual([
      'UPDATE_START/DOWN',
    ]);
    expect(names('ClusterInst', put(clusterInst(S.UPDATE_REQUESTED), clusterInst(S.UPDATING)))).toEqual([]);
    expect(names('ClusterInst', put(clusterInst(S.UPDATING), clusterInst(S.READY)))).toEqual([
      'UPDATE_COMPLETE/UP',
    ]);
    expect(names('AppInst', put(appInst(S.UPDATING), appInst(S.UPDATE_ERROR)))).toEqual([
      'UPDATE_ERROR/DOWN',
    ]);
  });

  it('records DELETED on removal and DELETE_ERROR for ClusterInsts only', () => {
    const del: CacheChange<Obj> = { type: 'delete', keyJson: 'k', modRevision: 3, old: appInst(S.DELETING) };
    expect(names('AppInst', del)).toEqual(['DELETED/DOWN']);
    expect(names('ClusterInst', put(clusterInst(S.DELETING), clusterInst(S.DELETE_ERROR)))).toEqual([
      'DELETE_ERROR/DOWN',
    ]);
    expect(names('AppInst', put(appInst(S.DELETING), appInst(S.DELETE_ERROR)))).toEqual([]);
  });

  it('records health check failures and recoveries, not the default OK at READY', () => {
    const H = dme.HealthCheck;
    expect(names('AppInst', put(appInst(S.READY, H.UNKNOWN), appInst(S.READY, H.OK)))).toEqual([]);
    expect(names('AppInst', put(appInst(S.READY, H.OK), appInst(S.READY, H.ROOTLB_OFFLINE)))).toEqual([
      'HEALTH_CHECK_FAIL/DOWN',
    ]);
    expect(names('AppInst', put(appInst(S.READY, H.SERVER_FAIL), appInst(S.READY, H.OK)))).toEqual([
      'HEALTH_CHECK_OK/UP',
    ]);
  });

  it('records reservations of ClusterInsts', () => {
    expect(names('ClusterInst', put(clusterInst(S.READY), clusterInst(S.READY, 'dev')))).toEqual([
      'RESERVED/UP',
    ]);
    expect(names('ClusterInst', put(clusterInst(S.READY, 'dev'), clusterInst(S.READY)))).toEqual([
      'UNRESERVED/DOWN',
    ]);
  });
});
