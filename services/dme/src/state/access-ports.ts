import { create } from '@bufbuild/protobuf';
import { dme } from '@edge/proto';

/**
 * The App's access ports (`tcp:80,udp:10000-10010:tls`) as AppPorts, for
 * GetAppOfficialFqdn. The Controller validated the string; anything unparsable is skipped.
 */
export function parseAccessPorts(spec: string): dme.AppPort[] {
  const out: dme.AppPort[] = [];
  for (const part of spec.split(',')) {
    const [proto, range, ...opts] = part.trim().toLowerCase().split(':');
    if (!proto || !range) continue;
    const p = proto === 'tcp' ? dme.LProto.TCP : proto === 'udp' ? dme.LProto.UDP : undefined;
    if (p === undefined) continue;
    const [lo, hi] = range.split('-').map(Number);
    if (lo === undefined || !Number.isInteger(lo)) continue;
    out.push(
      create(dme.AppPortSchema, {
        proto: p,
        internalPort: lo,
        endPort: hi !== undefined && Number.isInteger(hi) ? hi : 0,
        tls: opts.includes('tls'),
        nginx: opts.includes('nginx'),
      }),
    );
  }
  return out;
}
