import { Metadata } from '@grpc/grpc-js';
import { headersFromMetadata, metadataFromHeaders } from './metadata';

describe('metadata <-> Headers', () => {
  it('round-trips text and binary values and repeated keys', () => {
    const md = metadataFromHeaders({ 'X-One': 'a', 'x-bin-bin': Buffer.from([0, 1, 2]).toString('base64') });
    md.add('x-many', '1');
    md.add('x-many', '2');
    expect(md.get('x-one')).toEqual(['a']);
    expect(md.get('x-bin-bin')).toEqual([Buffer.from([0, 1, 2])]);
    const h = headersFromMetadata(md);
    expect(h.get('x-one')).toBe('a');
    expect(h.get('x-many')).toBe('1, 2');
    expect(Buffer.from(h.get('x-bin-bin') ?? '', 'base64')).toEqual(Buffer.from([0, 1, 2]));
  });

  it('leaves out transport headers', () => {
    const md = new Metadata();
    md.set('user-agent', 'grpc-node-js');
    md.set('content-type', 'application/grpc');
    md.set('x-keep', 'yes');
    expect([...headersFromMetadata(md).keys()]).toEqual(['x-keep']);
    expect(metadataFromHeaders(new Headers({ te: 'trailers', 'x-keep': 'y' })).getMap()).toEqual({
      'x-keep': 'y',
    });
  });
});
