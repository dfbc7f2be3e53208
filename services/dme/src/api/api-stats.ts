import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { edgeproto } from '@edge/proto';
import type { Found } from '../match/select';

interface Stat {
  org: string;
  app: string;
  ver: string;
  method: string;
  foundCloudlet: string;
  foundOperator: string;
  reqs: bigint;
  errs: bigint;
  changed: boolean;
}

/**
 * Call counts per (app, method, cloudlet found), sent up as `dme-api` Metrics (tags and
 * values named as the original's ApiStatToMetric) by `flush()`, called periodically.
 */
export class ApiStats {
  private readonly stats = new Map<string, Stat>();

  constructor(
    private readonly self: { cloudletOrg: string; cloudlet: string; dmeId: string },
    private readonly send: (m: edgeproto.Metric) => void,
    private readonly now: () => number = Date.now,
  ) {}

  record(
    org: string,
    app: string,
    ver: string,
    method: string,
    found: Found | undefined,
    err: boolean,
  ): void {
    const fc = found?.inst.cloudletName ?? '';
    const fo = found?.inst.cloudletOrg ?? '';
    const k = `${org}\0${app}\0${ver}\0${method}\0${fo}\0${fc}`;
    let s = this.stats.get(k);
    if (!s) {
      s = { org, app, ver, method, foundCloudlet: fc, foundOperator: fo, reqs: 0n, errs: 0n, changed: false };
      this.stats.set(k, s);
    }
    s.reqs++;
    if (err) s.errs++;
    s.changed = true;
  }

  flush(): void {
    const ts = timestampFromMs(this.now());
    for (const s of this.stats.values()) {
      if (!s.changed) continue;
      s.changed = false;
      const tag = (name: string, val: string) => ({ name, val });
      this.send(
        create(edgeproto.MetricSchema, {
          name: 'dme-api',
          timestamp: ts,
          tags: [
            tag('apporg', s.org),
            tag('app', s.app),
            tag('ver', s.ver),
            tag('cloudletorg', this.self.cloudletOrg),
            tag('cloudlet', this.self.cloudlet),
            tag('dmeId', this.self.dmeId),
            tag('method', s.method),
          ],
          vals: [
            { name: 'reqs', value: { case: 'ival', value: s.reqs } },
            { name: 'errs', value: { case: 'ival', value: s.errs } },
            { name: 'foundCloudlet', value: { case: 'sval', value: s.foundCloudlet } },
            { name: 'foundOperator', value: { case: 'sval', value: s.foundOperator } },
          ],
        }),
      );
    }
  }
}
