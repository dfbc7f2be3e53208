import type { DescMessage, Message } from '@bufbuild/protobuf';
import type { RpcInfo } from '@edge/proto';
import type { Fields } from '../http/fields';
import { fromMcJson } from './mc-json';
import { fieldsFromJson } from './update-fields';

/** A region-forwarded request: `{"region": …, "<objname>": {…}}`. */
export interface RegionRequest {
  readonly region: string;
  readonly req: Message;
}

/**
 * Reads the original's `Region<Obj>` body: the region, and the request object under the
 * lowercase name of its message type (`app`, `appinst`, `appautoprovpolicy`), both keys
 * read case-insensitively. For updates without a `fields` mask, the mask is the fields
 * present in the JSON.
 */
export function readRegionRequest(rpc: RpcInfo, fields: Fields): RegionRequest {
  const input: DescMessage = rpc.method.input;
  const region = fields.str('region');
  const raw = fields.raw(input.name);
  const req = fromMcJson(input, raw);
  if (rpc.name.startsWith('Update') && input.fields.some((f) => f.name === 'fields')) {
    const r = req as unknown as { fields: string[] };
    if (r.fields.length === 0) r.fields = fieldsFromJson(input, raw);
  }
  return { region, req };
}
