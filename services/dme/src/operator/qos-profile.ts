import { dme } from '@edge/proto';

const P = dme.QosSessionProfile;

/** Operator profile names of the QoS session API by proto profile (none for QOS_NO_PRIORITY). */
const TO_OPERATOR: ReadonlyMap<dme.QosSessionProfile, string> = new Map([
  [P.QOS_LOW_LATENCY, 'LOW_LATENCY'],
  [P.QOS_THROUGHPUT_DOWN_S, 'THROUGHPUT_S'],
  [P.QOS_THROUGHPUT_DOWN_M, 'THROUGHPUT_M'],
  [P.QOS_THROUGHPUT_DOWN_L, 'THROUGHPUT_L'],
]);

/** The operator's name of a profile, undefined for QOS_NO_PRIORITY and unknown values. */
export function operatorProfile(p: dme.QosSessionProfile): string | undefined {
  return TO_OPERATOR.get(p);
}

/** The proto profile of an operator profile name, undefined when unknown. */
export function protoProfile(name: string): dme.QosSessionProfile | undefined {
  for (const [p, n] of TO_OPERATOR) if (n === name) return p;
  return undefined;
}

/** The sessions path of a profile name: `/5g-latency/sessions/` or `/5g-throughput/sessions/`. */
export function sessionsPath(name: string): string | undefined {
  if (name === 'LOW_LATENCY') return '/5g-latency/sessions/';
  if (name.startsWith('THROUGHPUT')) return '/5g-throughput/sessions/';
  return undefined;
}

/** Proto enum short names the operator API carries for protocols (`TCP`, `UDP`, `ANY`). */
export function protocolName(p: dme.QosSessionProtocol): string {
  return dme.QosSessionProtocol[p] ?? '';
}
