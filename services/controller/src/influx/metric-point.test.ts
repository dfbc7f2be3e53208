import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { metricDb, metricPoint } from './metric-point';
import { IntField, NanoClock, toIPoint } from './points';

describe('metricPoint', () => {
  it('maps a Metric message to a point: name, tags, typed fields, nanosecond timestamp', () => {
    const m = create(edgeproto.MetricSchema, {
      name: 'appinst-cpu',
      timestamp: { seconds: 1700000000n, nanos: 5 },
      tags: [
        { name: 'app', val: 'a' },
        { name: 'apporg', val: 'dev' },
      ],
      vals: [
        { name: 'cpu', value: { case: 'dval', value: 1.5 } },
        { name: 'count', value: { case: 'ival', value: 7n } },
        { name: 'up', value: { case: 'bval', value: true } },
        { name: 'note', value: { case: 'sval', value: 'x' } },
      ],
    });
    const p = metricPoint(m, () => '1');
    expect(p).toEqual({
      measurement: 'appinst-cpu',
      tags: { app: 'a', apporg: 'dev' },
      fields: { cpu: 1.5, count: new IntField(7n), up: true, note: 'x' },
      timestampNs: '1700000000000000005',
    });
    expect(String(p?.fields['count'])).toBe('7i');
    expect(metricDb('appinst-cpu')).toBe('metrics');
    expect(metricDb('latency-metric')).toBe('edgeevents_metrics');
  });

  it('ignores a metric without values and stamps one without a timestamp', () => {
    expect(metricPoint(create(edgeproto.MetricSchema, { name: 'x' }), () => '1')).toBeUndefined();
    const p = metricPoint(
      create(edgeproto.MetricSchema, { name: 'x', vals: [{ name: 'v', value: { case: 'dval', value: 1 } }] }),
      () => '42',
    );
    expect(p?.timestampNs).toBe('42');
  });
});

describe('points', () => {
  it('leaves empty tags out', () => {
    const p = toIPoint({ measurement: 'm', tags: { a: 'x', b: '' }, fields: { f: 1 }, timestampNs: '1' });
    expect(p.tags).toEqual({ a: 'x' });
  });

  it('hands out strictly increasing nanosecond timestamps', () => {
    const clock = new NanoClock(() => 1000);
    expect([clock.next(), clock.next()]).toEqual(['1000000000', '1000000001']);
  });
});
