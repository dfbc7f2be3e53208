import { invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';

/** Optional resource names a flavor may request (`gpu`, `nas`, `nic`). */
export function validateResName(name: string): void {
  const upper = name.toUpperCase();
  if (upper in edgeproto.OptResNames && Number.isNaN(Number(upper))) return;
  const valids = Object.keys(edgeproto.OptResNames)
    .filter((k) => Number.isNaN(Number(k)))
    .map((k) => k.toLowerCase());
  throw invalidArgument(`Invalid resource name ${name} found, must be one of [${valids.join(' ')}] `);
}

/** Count of a GPU request such as `gpu:1`, `pci:1`, `vgpu:nvidia-63:1`. */
export function parseGpuCount(value: string): number {
  const parts = value.split(':');
  if (parts.length === 1) throw invalidArgument('Missing manditory resource count, ex: optresmap=gpu=gpu:1');
  if (parts.length > 3)
    throw invalidArgument('Invalid optresmap syntax encountered: ex: optresmap=gpu=gpu:1');
  const countStr = parts[parts.length - 1] ?? '';
  if (!/^[-+]?\d+$/.test(countStr)) {
    throw invalidArgument(`Non-numeric resource count encountered, found ${parts[1] ?? ''}`);
  }
  return Number(countStr);
}

/** A flavor's optional resources: only GPUs, with a count. */
export function validateOptResMap(map: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(map)) {
    if (k !== 'gpu') {
      throw invalidArgument(
        `Only GPU resources currently supported, use optresmap=gpu=$resource:[$specifier:]$count found ${k}`,
      );
    }
    parseGpuCount(v);
  }
}
