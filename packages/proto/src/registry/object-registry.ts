import { getOption, type DescFile, type DescMessage, type DescService } from '@bufbuild/protobuf';
import { key_message, object_key_field, singleton } from '../gen/options/options_pb';
import { objectTypeOf, type ObjectType } from './object-type';
import { rpcInfoOf, type RpcInfo } from './rpc-info';

/**
 * All object types and RPCs of a schema, read from file descriptors. Built once in
 * `main.ts` (or a test) and passed to whatever needs it.
 */
export class ObjectRegistry {
  private readonly byName = new Map<string, ObjectType>();
  private readonly byTypeName = new Map<string, ObjectType>();
  private readonly keyTypes = new Map<string, DescMessage>();
  private readonly rpcs = new Map<string, RpcInfo>();
  readonly services: readonly DescService[];

  /** @param files generated file descriptors (e.g. `allFiles` of @edge/proto); `pkg` limits objects to one proto package. */
  constructor(files: readonly DescFile[], pkg = 'edgeproto') {
    const services: DescService[] = [];
    for (const file of files) {
      if (file.proto.package !== pkg) continue;
      for (const msg of allMessages(file)) {
        if (getOption(msg, key_message)) this.keyTypes.set(msg.typeName, msg);
        if (getOption(msg, object_key_field) || getOption(msg, singleton)) {
          const t = objectTypeOf(msg);
          if (this.byName.has(t.name)) throw new Error(`duplicate object type ${t.name}`);
          this.byName.set(t.name, t);
          this.byTypeName.set(t.typeName, t);
        }
      }
      services.push(...file.services);
    }
    this.services = services;
    for (const svc of services) {
      const object = this.byName.get(svc.name.replace(/Api$/, ''));
      for (const m of svc.methods) {
        if (this.rpcs.has(m.name)) throw new Error(`duplicate RPC name ${m.name}`);
        this.rpcs.set(m.name, rpcInfoOf(m, object ?? this.byTypeName.get(m.input.typeName)));
      }
    }
    for (const t of this.byName.values()) {
      for (const r of t.references) {
        if (!this.byName.has(r.target))
          throw new Error(`${t.name}.${r.path.join('.')} refers to unknown type ${r.target}`);
      }
    }
  }

  /** The object type named `name` (e.g. `AppInst`); throws for unknown names. */
  get(name: string): ObjectType {
    const t = this.byName.get(name);
    if (!t) throw new Error(`unknown object type ${name}`);
    return t;
  }

  /** The object type of a fully qualified message name, if it is one. */
  find(typeName: string): ObjectType | undefined {
    return this.byTypeName.get(typeName);
  }

  /** Every object type, in declaration order of the files. */
  all(): ObjectType[] {
    return [...this.byName.values()];
  }

  /** Every key message type (`AppKey`, `CloudletKey`, …). */
  keys(): DescMessage[] {
    return [...this.keyTypes.values()];
  }

  /** RPC options by RPC name (`CreateAppInst`). */
  rpc(name: string): RpcInfo | undefined {
    return this.rpcs.get(name);
  }

  /** Every RPC of the package's services. */
  allRpcs(): RpcInfo[] {
    return [...this.rpcs.values()];
  }
}

function* allMessages(file: DescFile): Generator<DescMessage> {
  const stack = [...file.messages];
  while (stack.length) {
    const m = stack.shift() as DescMessage;
    yield m;
    stack.push(...m.nestedMessages);
  }
}
