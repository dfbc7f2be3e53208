import { ObjectRegistry, allFiles } from '@edge/proto';
import { replicatedTypes, sendOrder } from './send-order';

const reg = new ObjectRegistry(allFiles);

describe('replicatedTypes', () => {
  it('is the stored types notify mirrors down, from the schema options', () => {
    const names = replicatedTypes(reg).map((t) => t.name);
    for (const n of ['Settings', 'Flavor', 'Cloudlet', 'ClusterInst', 'App', 'AppInst', 'AppInstRefs'])
      expect(names).toContain(n);
    // stored info objects are mirrored too (DMEs want CloudletInfo)
    expect(names).toEqual(expect.arrayContaining(['CloudletInfo', 'Alert']));
    // not replicated: no notify kind, or not stored
    for (const n of ['Controller', 'CloudletRefs', 'Node', 'AppInstInfo', 'CloudletInternal'])
      expect(names).not.toContain(n);
  });
});

describe('sendOrder', () => {
  const order = sendOrder(reg);
  const before = (a: string, b: string): void => {
    expect(order.get(a)).toBeLessThan(order.get(b) as number);
  };

  it('puts what an object references first', () => {
    before('Flavor', 'AppInst');
    before('App', 'AppInst');
    before('ClusterInst', 'AppInst');
    before('Cloudlet', 'ClusterInst');
    before('VMPool', 'Cloudlet');
    before('Flavor', 'Settings');
    before('CloudletPool', 'TrustPolicyException');
  });

  it("puts objects keyed by another type's key after it (AppInst before AppInstRefs)", () => {
    before('AppInst', 'AppInstRefs');
    before('ClusterInst', 'ClusterRefs');
  });

  it('breaks ties by the original registration order, and knows full type names', () => {
    before('Flavor', 'AlertPolicy'); // both level 0
    before('OperatorCode', 'Flavor');
    expect(order.get('edgeproto.AppInst')).toBe(order.get('AppInst'));
    expect(new Set(reg.all().map((t) => order.get(t.name))).size).toBe(reg.all().length);
  });
});
