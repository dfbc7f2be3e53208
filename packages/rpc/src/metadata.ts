import { Metadata } from '@grpc/grpc-js';

/** Headers carried in Metadata by grpc-js itself; never copied into or out of a call. */
const RESERVED = new Set([
  'content-type',
  'te',
  'user-agent',
  'grpc-timeout',
  'grpc-encoding',
  'grpc-accept-encoding',
]);

/** Copies gRPC metadata into Headers; binary (`-bin`) values become base64. */
export function headersFromMetadata(md: Metadata): Headers {
  const h = new Headers();
  for (const key of Object.keys(md.getMap())) {
    if (RESERVED.has(key)) continue;
    for (const v of md.get(key)) {
      h.append(key, typeof v === 'string' ? v : Buffer.from(v).toString('base64'));
    }
  }
  return h;
}

/** Copies Headers into gRPC metadata; values of `-bin` keys are read as base64. */
export function metadataFromHeaders(
  h: Headers | Record<string, string> | undefined,
  into = new Metadata(),
): Metadata {
  if (h === undefined) return into;
  const entries = h instanceof Headers ? h.entries() : Object.entries(h);
  for (const [key, value] of entries) {
    const k = key.toLowerCase();
    if (RESERVED.has(k)) continue;
    if (k.endsWith('-bin')) into.add(k, Buffer.from(value, 'base64'));
    else into.add(k, value);
  }
  return into;
}
