import { create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import { parseAppPorts } from './app-ports';
import { allocateSharedPorts, checkDedicatedOverlap, freeSharedPorts } from './root-lb-ports';

describe('parseAppPorts', () => {
  it('parses protocols, ranges and annotations', () => {
    const ports = parseAppPorts('tcp:80,udp:10000-10010,tcp:443:tls,udp:5000:nginx');
    expect(ports.map((p) => [p.proto, p.internalPort, p.endPort, p.tls, p.nginx])).toEqual([
      [dme.LProto.TCP, 80, 0, false, false],
      [dme.LProto.UDP, 10000, 10010, false, false],
      [dme.LProto.TCP, 443, 0, true, false],
      [dme.LProto.UDP, 5000, 0, false, true],
    ]);
  });

  it.each([
    ['tcp', "invalid AccessPorts format 'tcp'"],
    ['tcp:x', 'unable to convert port range base value'],
    ['tcp:0', 'App ports out of range'],
    ['tcp:90-80', 'App ports out of range'],
    ['sctp:80', 'Unsupported protocol: sctp'],
    ['udp:80:tls', 'Invalid protocol udp, not available for tls support'],
    ['tcp:80:nginx', 'Invalid annotation "nginx" for tcp ports'],
    ['tcp:80:foo', 'unrecognized annotation foo=true for port 80'],
    ['tcp:22', 'App cannot use port tcp:22 - reserved for Platform inter-node SSH'],
    ['tcp:1-1001', 'Not allowed to specify more than 1000 tcp ports'],
  ])('refuses %s', (spec, message) => {
    expect(() => parseAppPorts(spec)).toThrow(message);
  });
});

describe('shared root LB ports', () => {
  const refs = () => create(edgeproto.CloudletRefsSchema);

  it("uses the App's port when free, else the first free from 10000, per protocol", () => {
    const r = refs();
    const a = parseAppPorts('tcp:80,udp:80');
    allocateSharedPorts(a, r);
    const b = parseAppPorts('tcp:80');
    allocateSharedPorts(b, r);
    expect([a.map((p) => p.publicPort), b.map((p) => p.publicPort)]).toEqual([[80, 80], [10000]]);
    expect(r.rootLbPorts).toEqual({ 80: 3, 10000: 1 });
    freeSharedPorts(a, r);
    expect(r.rootLbPorts).toEqual({ 10000: 1 });
  });

  it('refuses ranges and exhausted ports', () => {
    expect(() => allocateSharedPorts(parseAppPorts('tcp:80-81'), refs())).toThrow(
      'Shared IP access with port range not allowed',
    );
    const full = refs();
    for (let p = 10000; p < 65000; p++) full.rootLbPorts[p] = 1;
    full.rootLbPorts[80] = 1;
    expect(() => allocateSharedPorts(parseAppPorts('tcp:80'), full)).toThrow('no free external ports');
  });

  it('refuses overlapping ports on a dedicated LB', () => {
    const other = create(edgeproto.AppInstSchema, {
      state: edgeproto.TrackedState.READY,
      mappedPorts: parseAppPorts('tcp:80,udp:100-200'),
    });
    expect(() => checkDedicatedOverlap(parseAppPorts('tcp:80'), [other])).toThrow(
      'port 80 is already in use on the cluster',
    );
    expect(() => checkDedicatedOverlap(parseAppPorts('udp:150-160'), [other])).toThrow(
      'port range 150-160 overlaps with ports in use on the cluster',
    );
    expect(() => checkDedicatedOverlap(parseAppPorts('tcp:81'), [other])).not.toThrow();
  });
});
