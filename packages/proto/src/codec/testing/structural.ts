// Test support: strict structural comparison of decoded messages.

/**
 * The first difference between two values, as a path and reason, or undefined when they are
 * indistinguishable: same prototypes, same own keys in the same order, primitives equal by
 * `Object.is`, typed arrays of the same class and content.
 */
export function structuralDiff(a: unknown, b: unknown, path = '$'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path}: ${String(a)} (${typeof a}) !== ${String(b)} (${typeof b})`;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: different prototypes`;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.constructor !== b.constructor) return `${path}: ${a.constructor.name} vs ${b.constructor.name}`;
    if (a.length !== b.length || a.some((x, i) => x !== b[i])) return `${path}: different bytes`;
    return undefined;
  }
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) {
    return `${path}: keys [${ka.map(String).join(',')}] vs [${kb.map(String).join(',')}]`;
  }
  for (const k of ka) {
    const d = structuralDiff(
      (a as Record<PropertyKey, unknown>)[k],
      (b as Record<PropertyKey, unknown>)[k],
      `${path}.${String(k)}`,
    );
    if (d !== undefined) return d;
  }
  return undefined;
}
