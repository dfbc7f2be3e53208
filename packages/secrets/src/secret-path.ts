import { invalidArgument } from '@edge/errors';
import type { SecretData } from './secret-store';

// Vault accepts almost anything in a path, but `.`/`..` segments, empty segments and
// control characters mean different things to different backends (or to a file system
// a future backend might use), so they are refused everywhere.
function badSegment(segment: string): boolean {
  if (segment === '' || segment === '.' || segment === '..') return true;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Throws INVALID_ARGUMENT unless `path` names a secret: non-empty `/`-separated segments. */
export function checkSecretPath(path: string): void {
  if (path.split('/').some(badSegment)) {
    throw invalidArgument(`invalid secret path "${path}": want non-empty segments separated by "/"`);
  }
}

/** Throws INVALID_ARGUMENT unless `prefix` names a folder: `''` or a secret path plus `/`. */
export function checkSecretPrefix(prefix: string): void {
  if (prefix === '') return;
  if (!prefix.endsWith('/') || prefix.slice(0, -1).split('/').some(badSegment)) {
    throw invalidArgument(`invalid secret folder "${prefix}": want "" or a path ending in "/"`);
  }
}

/** Throws INVALID_ARGUMENT unless every value of `data` is a string; returns a copy. */
export function copySecretData(path: string, data: SecretData): SecretData {
  const out: SecretData = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') throw invalidArgument(`secret ${path}: value of "${k}" is not a string`);
    out[k] = v;
  }
  return out;
}

/** Children of folder `prefix` among `paths`, Vault LIST style (sub-folders end in `/`), sorted. */
export function listChildren(paths: Iterable<string>, prefix: string): string[] {
  const names = new Set<string>();
  for (const p of paths) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/');
    names.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  return [...names].sort();
}
