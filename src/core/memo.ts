// Values derived once per (object, key): the object's lifetime bounds the memory (a policy's rules
// per ecosystem, an engine's lockfile hosts per ecosystem).
export function memoPerKey<O extends object, V>(compute: (owner: O, key: string) => V): (owner: O, key: string) => V {
  const byOwner = new WeakMap<O, Map<string, V>>();
  return (owner, key) => {
    let byKey = byOwner.get(owner);
    if (!byKey) {
      byKey = new Map();
      byOwner.set(owner, byKey);
    }
    // One probe for a stored value (the hot path: judging asks for the rules per package).
    const stored = byKey.get(key);
    if (stored !== undefined || byKey.has(key)) return stored as V;
    const value = compute(owner, key);
    byKey.set(key, value);
    return value;
  };
}
