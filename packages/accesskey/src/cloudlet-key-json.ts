import { create, fromJsonString, toJsonString, type MessageInitShape } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';

/**
 * The canonical JSON of a cloudlet key, as the original's `json.Marshal(key)`: proto field
 * names in field order, empty fields left out, no spaces, e.g.
 * `{"organization":"op","name":"c1"}`. It is what CRMs sign and what the store is keyed by.
 */
export function cloudletKeyJson(key: MessageInitShape<typeof edgeproto.CloudletKeySchema>): string {
  return toJsonString(edgeproto.CloudletKeySchema, create(edgeproto.CloudletKeySchema, key), {
    useProtoFieldName: true,
  });
}

/**
 * Reads a cloudlet key from JSON. Unknown fields are ignored, as Go's `json.Unmarshal`
 * does; anything that is not a JSON object of key fields throws.
 */
export function parseCloudletKeyJson(json: string): edgeproto.CloudletKey {
  return fromJsonString(edgeproto.CloudletKeySchema, json, { ignoreUnknownFields: true });
}
