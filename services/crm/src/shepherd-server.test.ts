import { create, type Message } from '@bufbuild/protobuf';
import { silentLogger } from '@edge/log';
import { edgeproto } from '@edge/proto';
import { ShepherdSink } from './shepherd-server';

describe('ShepherdSink', () => {
  it('passes infos and metrics up and deletes what a Shepherd had sent when it goes', () => {
    const sent: [string, string, boolean][] = [];
    const messages: string[] = [];
    const sink = new ShepherdSink(
      {
        update: (type, key, obj) => sent.push([type, key, obj !== undefined]),
        message: (_type, msg: Message) => messages.push((msg as edgeproto.Metric).name),
      },
      silentLogger(),
    );
    const conn = (id: number) => ({ id, name: `shepherd-${id}`, peer: 'p' });
    const alert = create(edgeproto.AlertSchema, { labels: { alertname: 'AppInstDown' } });
    sink.apply({ type: 'edgeproto.Alert', key: 'a1', obj: alert }, conn(1));
    sink.apply({ type: 'edgeproto.Alert', key: 'a2', obj: alert }, conn(1));
    sink.apply({ type: 'edgeproto.Alert', key: 'a2' }, conn(1));
    sink.apply({ type: 'edgeproto.Alert', key: 'b1', obj: alert }, conn(2));
    sink.message('edgeproto.Metric', create(edgeproto.MetricSchema, { name: 'appinst-cpu' }));
    sink.flush(conn(1));
    expect(sent).toEqual([
      ['edgeproto.Alert', 'a1', true],
      ['edgeproto.Alert', 'a2', true],
      ['edgeproto.Alert', 'a2', false],
      ['edgeproto.Alert', 'b1', true],
      ['edgeproto.Alert', 'a1', false],
    ]);
    expect(messages).toEqual(['appinst-cpu']);
  });
});
