import { create, toJsonString, type DescMessage, type Message } from '@bufbuild/protobuf';
import { allFiles } from '../gen';
import { ObjectRegistry } from './object-registry';
import { compileKeyJson } from './key-json';

const reg = new ObjectRegistry(allFiles);
const samples = ['', 'a', 'telco-op', 'quote " and \\ back', 'ünïcødé ✓', '\n\t\u0001', '{"x":1}'];

/** A key of `schema` with strings from `samples` (by `seed`) and some nested keys left unset. */
function fill(schema: DescMessage, seed: number): Message {
  const init: Record<string, unknown> = {};
  schema.fields.forEach((f, i) => {
    const n = seed * 7 + i * 3;
    if (f.fieldKind === 'message') {
      if (n % 4 !== 0) init[f.localName] = fill(f.message, n + 1);
    } else init[f.localName] = samples[n % samples.length];
  });
  return create(schema, init);
}

describe('compileKeyJson', () => {
  const keyed = reg.all().filter((t) => t.keySchema);

  it('covers every object key schema', () => {
    for (const t of keyed) expect(compileKeyJson(t.keySchema as DescMessage)).toBeDefined();
  });

  it('writes exactly what toJsonString with proto field names writes', () => {
    for (const t of keyed) {
      const schema = t.keySchema as DescMessage;
      const write = compileKeyJson(schema) as (m: Message) => string;
      for (let seed = 0; seed < 40; seed++) {
        const key = fill(schema, seed);
        expect(write(key)).toBe(toJsonString(schema, key, { useProtoFieldName: true }));
      }
      expect(write(create(schema))).toBe('{}');
    }
  });

  it('declines shapes it does not handle', () => {
    const withInts = reg.get('Flavor').schema;
    expect(compileKeyJson(withInts)).toBeUndefined();
  });
});
