import { dme, type edgeproto } from '@edge/proto';

/** One port to health-check: the public port and the FQDN prefix it is served under. */
export interface CheckedPort {
  readonly publicPort: number;
  readonly fqdnPrefix: string;
}

/** Whether `skip` (App.skip_hc_ports: `all`, or `tcp:80,tcp:8000-8010`) names internal TCP port `port`. */
function skipped(skip: string, port: number): boolean {
  for (const part of skip.split(',')) {
    const p = part.trim().toLowerCase();
    if (p === 'all') return true;
    const m = /^tcp:(\d+)(?:-(\d+))?$/.exec(p);
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    if (port >= from && port <= to) return true;
  }
  return false;
}

/**
 * The ports of an AppInst that are health-checked: its mapped TCP ports (UDP cannot be
 * checked by a connect) minus the App's `skip_hc_ports`, which name internal ports as in
 * the original. A port range is checked on its first port.
 */
export function healthCheckPorts(ai: edgeproto.AppInst, app: edgeproto.App | undefined): CheckedPort[] {
  const skip = app?.skipHcPorts ?? '';
  return ai.mappedPorts
    .filter((p) => p.proto === dme.LProto.TCP && p.publicPort > 0)
    .filter((p) => !skip || !skipped(skip, p.internalPort))
    .map((p) => ({ publicPort: p.publicPort, fqdnPrefix: p.fqdnPrefix }));
}
