import { invalidArgument } from '@edge/errors';
import { validKubernetesName, validName } from './names';

type Key = Record<string, unknown>;
type Check = (key: Key) => string | undefined;

const str = (k: Key, f: string): string => (typeof k[f] === 'string' ? (k[f] as string) : '');
const sub = (k: Key, f: string): Key => (k[f] ?? {}) as Key;

const cloudletKey: Check = (k) =>
  !validName(str(k, 'organization'))
    ? 'Invalid organization name'
    : !validName(str(k, 'name'))
      ? 'Invalid cloudlet name'
      : undefined;
const clusterKey: Check = (k) => (validKubernetesName(str(k, 'name')) ? undefined : 'Invalid cluster name');
const clusterInstKey: Check = (k) => clusterKey(sub(k, 'clusterKey')) ?? cloudletKey(sub(k, 'cloudletKey'));
const appKey: Check = (k) =>
  !validName(str(k, 'name'))
    ? 'Invalid app name'
    : !validName(str(k, 'version'))
      ? 'Invalid app version'
      : !validName(str(k, 'organization'))
        ? 'Invalid app organization'
        : undefined;
const cloudletPoolKey: Check = (k) =>
  !validName(str(k, 'organization'))
    ? 'Invalid cloudlet pool organization'
    : !validName(str(k, 'name'))
      ? 'Invalid cloudlet pool name'
      : undefined;
const named =
  (what: string): Check =>
  (k) =>
    validName(str(k, 'name')) ? undefined : `Invalid ${what} name`;

/**
 * Key checks of the original, by key message name, with its messages. Keys not listed
 * have no rule beyond what their object API checks.
 */
const CHECKS: Record<string, Check> = {
  FlavorKey: named('flavor'),
  CloudletKey: cloudletKey,
  ClusterKey: clusterKey,
  ClusterInstKey: clusterInstKey,
  VirtualClusterInstKey: clusterInstKey,
  AppKey: appKey,
  AppInstKey: (k) => appKey(sub(k, 'appKey')) ?? clusterInstKey(sub(k, 'clusterInstKey')),
  CloudletPoolKey: cloudletPoolKey,
  ResTagTableKey: named('ResTagTable'),
  VMPoolKey: (k) => (validName(str(k, 'organization')) ? named('VM pool')(k) : 'Invalid organization name'),
  AlertPolicyKey: named('alert policy'),
  NetworkKey: (k) => cloudletKey(sub(k, 'cloudletKey')) ?? named('network')(k),
  ControllerKey: (k) => (str(k, 'addr') ? undefined : 'Invalid address'),
  NodeKey: (k) => (str(k, 'name') ? cloudletKey(sub(k, 'cloudletKey')) : 'Invalid node name'),
  PolicyKey: (k) => {
    const org = str(k, 'organization');
    if (!/^[a-zA-Z0-9_\-.]*$/.test(org))
      return 'Invalid organization, name can only contain letters, digits, _ . -';
    if (!org) return 'Invalid organization, name cannot be empty';
    return str(k, 'name') ? undefined : 'Policy name cannot be empty';
  },
  TrustPolicyExceptionKey: (k) => {
    const a = appKey(sub(k, 'appKey'));
    if (a) return `Invalid AppKey in TrustPolicyExceptionKey, ${a}`;
    const p = cloudletPoolKey(sub(k, 'cloudletPoolKey'));
    if (p) return `Invalid CloudletPoolKey in TrustPolicyExceptionKey, ${p}`;
    return str(k, 'name') ? undefined : 'TrustPolicyException name cannot be empty';
  },
};

/** Throws INVALID_ARGUMENT with the original's message when `key` (of message type `keyType`) is invalid. */
export function validateKey(keyType: string, key: object): void {
  const msg = CHECKS[keyType]?.(key as Key);
  if (msg) throw invalidArgument(msg);
}
