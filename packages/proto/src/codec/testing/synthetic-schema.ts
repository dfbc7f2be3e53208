// Test support: message types exercising what our own schema does not use — proto2 (defaults,
// required, closed enums, groups, prototypes), editions (DELIMITED, EXPANDED, presence and UTF-8
// features), jstype = JS_STRING, every map key type, huge field numbers, and fields whose
// protobuf-es local form differs from the wire message (wrappers, google.protobuf.Struct).
import {
  create,
  createFileRegistry,
  type DescMessage,
  type FileRegistry,
  type MessageInitShape,
} from '@bufbuild/protobuf';
import {
  Edition,
  FeatureSet_EnumType,
  FeatureSet_FieldPresence,
  FeatureSet_MessageEncoding,
  FeatureSet_RepeatedFieldEncoding,
  FeatureSet_Utf8Validation,
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as T,
  FieldOptions_JSType,
  FileDescriptorProtoSchema,
  file_google_protobuf_struct,
  file_google_protobuf_wrappers,
  type DescriptorProtoSchema,
  type FeatureSetSchema,
  type FieldDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';

type FieldInit = MessageInitShape<typeof FieldDescriptorProtoSchema>;
type MessageInit = MessageInitShape<typeof DescriptorProtoSchema>;
type FeaturesInit = MessageInitShape<typeof FeatureSetSchema>;

function field(name: string, number: number, type: T, more: FieldInit = {}): FieldInit {
  return { name, number, type, label: Label.OPTIONAL, ...more };
}

function repeated(name: string, number: number, type: T, more: FieldInit = {}): FieldInit {
  return field(name, number, type, { label: Label.REPEATED, ...more });
}

/** A map field and the entry type it needs (nested in the message `owner`). */
function map(
  owner: string,
  name: string,
  number: number,
  key: T,
  value: T,
  valueTypeName?: string,
): { field: FieldInit; entry: MessageInit } {
  const entryName = name.charAt(0).toUpperCase() + name.slice(1) + 'Entry';
  return {
    field: repeated(name, number, T.MESSAGE, { typeName: `${owner}.${entryName}` }),
    entry: {
      name: entryName,
      field: [
        field('key', 1, key),
        field('value', 2, value, valueTypeName ? { typeName: valueTypeName } : {}),
      ],
      options: { mapEntry: true },
    },
  };
}

const features = (f: FeaturesInit): { features: FeaturesInit } => ({ features: f });

function proto2File() {
  const P2 = '.codectest.p2.P2';
  const maps = [
    map(P2, 'mb', 18, T.BOOL, T.STRING),
    map(P2, 'mi', 19, T.INT64, T.MESSAGE, '.codectest.p2.Leaf'),
    map(P2, 'mu', 20, T.UINT32, T.ENUM, '.codectest.p2.Color'),
    map(P2, 'ms', 21, T.SINT64, T.BYTES),
    map(P2, 'mf', 22, T.FIXED32, T.DOUBLE),
    map(P2, 'msf', 23, T.SFIXED64, T.FLOAT),
    map(P2, 'mi32', 39, T.INT32, T.SINT32),
    map(P2, 'mu64', 40, T.UINT64, T.FIXED64),
    map(P2, 'mf64', 41, T.FIXED64, T.SFIXED32),
    map(P2, 'ms32', 42, T.SINT32, T.UINT64),
    map(P2, 'msf32', 43, T.SFIXED32, T.BOOL),
  ];
  return create(FileDescriptorProtoSchema, {
    name: 'codectest/p2.proto',
    package: 'codectest.p2',
    syntax: 'proto2',
    enumType: [
      {
        name: 'Color',
        value: [
          { name: 'RED', number: 1 },
          { name: 'GREEN', number: 2 },
          { name: 'BLUE', number: 5 },
        ],
      },
    ],
    messageType: [
      { name: 'Leaf', field: [field('n', 1, T.INT32), field('t', 2, T.STRING)] },
      {
        name: 'P2',
        field: [
          field('i32', 1, T.INT32, { defaultValue: '-7' }),
          field('s', 2, T.STRING, { defaultValue: 'hi' }),
          field('by', 3, T.BYTES, { defaultValue: 'ab' }),
          field('color', 4, T.ENUM, { typeName: '.codectest.p2.Color', defaultValue: 'BLUE' }),
          field('req', 5, T.INT64, { label: Label.REQUIRED }),
          field('js', 6, T.INT64, { options: { jstype: FieldOptions_JSType.JS_STRING } }),
          repeated('unpacked', 7, T.INT32),
          repeated('packed', 8, T.SINT32, { options: { packed: true } }),
          field('grp', 9, T.GROUP, { typeName: '.codectest.p2.P2.Grp' }),
          repeated('rgrp', 12, T.GROUP, { typeName: '.codectest.p2.P2.RGrp' }),
          field('child', 14, T.MESSAGE, { typeName: P2 }),
          field('os', 15, T.STRING, { oneofIndex: 0 }),
          field('om', 16, T.MESSAGE, { typeName: '.codectest.p2.Leaf', oneofIndex: 0 }),
          field('oc', 17, T.ENUM, { typeName: '.codectest.p2.Color', oneofIndex: 0 }),
          ...maps.map((m) => m.field),
          field('d', 24, T.DOUBLE),
          field('f', 25, T.FLOAT),
          field('u32', 26, T.UINT32),
          field('f64', 27, T.FIXED64),
          field('sf32', 28, T.SFIXED32),
          field('bo', 29, T.BOOL, { defaultValue: 'true' }),
          field('s64', 30, T.SINT64),
          field('fx32', 31, T.FIXED32),
          field('sf64', 32, T.SFIXED64),
          field('u64', 33, T.UINT64, { defaultValue: '18446744073709551615' }),
          repeated('rs', 34, T.STRING),
          repeated('rb', 35, T.BYTES),
          repeated('rc', 36, T.ENUM, { typeName: '.codectest.p2.Color' }),
          repeated('rjs', 37, T.INT64, { options: { jstype: FieldOptions_JSType.JS_STRING } }),
          repeated('rd', 38, T.DOUBLE, { options: { packed: true } }),
          field('far', 100000, T.INT32),
          field('farthest', 536870911, T.STRING),
        ],
        oneofDecl: [{ name: 'choice' }],
        nestedType: [
          { name: 'Grp', field: [field('a', 10, T.INT32), field('b', 11, T.STRING)] },
          { name: 'RGrp', field: [field('c', 13, T.UINT64)] },
          ...maps.map((m) => m.entry),
        ],
      },
    ],
  });
}

function editionsFile() {
  const E = '.codectest.ed.E';
  const me = map(E, 'me', 8, T.STRING, T.MESSAGE, E);
  return create(FileDescriptorProtoSchema, {
    name: 'codectest/ed.proto',
    package: 'codectest.ed',
    syntax: 'editions',
    edition: Edition.EDITION_2023,
    enumType: [
      {
        name: 'Closed',
        value: [
          { name: 'C_ONE', number: 1 },
          { name: 'C_TWO', number: 2 },
        ],
        options: features({ enumType: FeatureSet_EnumType.CLOSED }),
      },
      {
        name: 'Open',
        value: [
          { name: 'O_ZERO', number: 0 },
          { name: 'O_ONE', number: 1 },
        ],
      },
    ],
    messageType: [
      {
        name: 'E',
        field: [
          field('implicit', 1, T.INT32, {
            options: features({ fieldPresence: FeatureSet_FieldPresence.IMPLICIT }),
          }),
          field('explicit', 2, T.INT32),
          field('delimited', 3, T.MESSAGE, {
            typeName: E,
            options: features({ messageEncoding: FeatureSet_MessageEncoding.DELIMITED }),
          }),
          repeated('rdelim', 4, T.MESSAGE, {
            typeName: E,
            options: features({ messageEncoding: FeatureSet_MessageEncoding.DELIMITED }),
          }),
          repeated('expanded', 5, T.INT32, {
            options: features({ repeatedFieldEncoding: FeatureSet_RepeatedFieldEncoding.EXPANDED }),
          }),
          field('nonutf', 6, T.STRING, {
            options: features({ utf8Validation: FeatureSet_Utf8Validation.NONE }),
          }),
          field('closed', 7, T.ENUM, { typeName: '.codectest.ed.Closed' }),
          me.field,
          field('open', 9, T.ENUM, {
            typeName: '.codectest.ed.Open',
            options: features({ fieldPresence: FeatureSet_FieldPresence.IMPLICIT }),
          }),
          field('istr', 10, T.STRING, {
            options: features({ fieldPresence: FeatureSet_FieldPresence.IMPLICIT }),
          }),
          repeated('packed', 11, T.FIXED64),
        ],
        nestedType: [me.entry],
      },
    ],
  });
}

function localFormFile() {
  const W = '.codectest.lf.W';
  const ms = map(W, 'ms', 7, T.STRING, T.MESSAGE, '.google.protobuf.Struct');
  const mw = map('.codectest.lf.Outer', 'mw', 3, T.STRING, T.MESSAGE, W);
  return create(FileDescriptorProtoSchema, {
    name: 'codectest/lf.proto',
    package: 'codectest.lf',
    syntax: 'proto3',
    dependency: ['google/protobuf/wrappers.proto', 'google/protobuf/struct.proto'],
    messageType: [
      {
        name: 'W',
        field: [
          field('w32', 1, T.MESSAGE, { typeName: '.google.protobuf.Int32Value' }),
          field('ws', 2, T.MESSAGE, { typeName: '.google.protobuf.StringValue' }),
          field('st', 3, T.MESSAGE, { typeName: '.google.protobuf.Struct' }),
          repeated('sts', 4, T.MESSAGE, { typeName: '.google.protobuf.Struct' }),
          field('wb', 5, T.MESSAGE, { typeName: '.google.protobuf.BoolValue', oneofIndex: 0 }),
          field('n', 6, T.INT32),
          ms.field,
        ],
        oneofDecl: [{ name: 'o' }],
        nestedType: [ms.entry],
      },
      {
        name: 'Outer',
        field: [
          field('w', 1, T.MESSAGE, { typeName: W }),
          repeated('ws', 2, T.MESSAGE, { typeName: W }),
          mw.field,
          field('x', 4, T.INT32),
          field('opt', 5, T.STRING, { proto3Optional: true, oneofIndex: 0 }),
          repeated('wl', 6, T.MESSAGE, { typeName: '.google.protobuf.Int64Value' }),
        ],
        oneofDecl: [{ name: '_opt' }],
        nestedType: [mw.entry],
      },
    ],
  });
}

/** A registry of the synthetic files (and the well-known types they import). */
export function syntheticRegistry(): FileRegistry {
  const deps = new Map([
    ['google/protobuf/wrappers.proto', file_google_protobuf_wrappers],
    ['google/protobuf/struct.proto', file_google_protobuf_struct],
  ]);
  return createFileRegistry(
    createFileRegistry(proto2File(), () => undefined),
    createFileRegistry(editionsFile(), () => undefined),
    createFileRegistry(localFormFile(), (name) => deps.get(name)),
  );
}

/** One message type of the synthetic registry. */
export function syntheticType(registry: FileRegistry, typeName: string): DescMessage {
  const desc = registry.getMessage(typeName);
  if (desc === undefined) throw new Error(`no message ${typeName}`);
  return desc;
}
