// What a parsed JSON tree loses in plain JS values and Python keeps: which integral numbers were
// float literals (`2.0` is a float in Python, `2` an int) and the source order of object keys that
// look like array indices (JS iterates `{"20": .., "1": ..}` as 1, 20; Python keeps 20, 1).
// The parser records both here, keyed by the container object, so hashing can render the value
// as Python would without boxing numbers in the values handed to zod and user code.

const floatLiterals = new WeakMap<object, Set<string | number>>();
const keyOrders = new WeakMap<object, readonly string[]>();

/** Records that `container[key]` was written as a float literal with an integral value. */
export function markFloatLiteral(container: object, key: string | number): void {
  let set = floatLiterals.get(container);
  if (set === undefined) {
    set = new Set();
    floatLiterals.set(container, set);
  }
  set.add(key);
}

/** Whether `container[key]` was parsed from a float literal such as `2.0` or `1e3`. */
export function isFloatLiteral(container: unknown, key: string | number): boolean {
  if (typeof container !== 'object' || container === null) return false;
  return floatLiterals.get(container)?.has(key) ?? false;
}

/** Records the source key order of an object whose JS key order differs from it. */
export function setKeyOrder(obj: object, keys: readonly string[]): void {
  keyOrders.set(obj, keys);
}

/** The keys of `obj` in the order Python would iterate them. */
export function pyKeyOrder(obj: object): readonly string[] {
  return keyOrders.get(obj) ?? Object.keys(obj);
}
