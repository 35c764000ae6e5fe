// Shared answers that say nothing (no existence, no facts, no reports): most sources, for most names, offline.
// A module of its own, importing nothing: sources and ecosystems mark theirs without pulling in the merge.
import type { Observation } from "./types.ts";

const silent = new WeakSet<Observation>();

/**
 * Marks a shared, frozen observation that says nothing but who answered: the merge then only lists
 * its source, without reading a field of it (each source's answers have their own shape).
 */
export function silentObservation<T extends Observation>(o: T): T {
  silent.add(o);
  return o;
}

export function isSilent(o: Observation): boolean {
  return silent.has(o);
}
