// A small in-memory LRU of judged and filtered documents, bounded by count and by bytes, each entry
// with its own expiry. It only saves work: a miss or an expired entry is judged again.
export class MemoryCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number; bytes: number }>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  get(key: string, now: number): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    this.#entries.delete(key);
    if (hit.expires <= now) {
      this.#bytes -= hit.bytes;
      return undefined;
    }
    this.#entries.set(key, hit); // most recently used last
    return hit.value;
  }

  set(key: string, value: V, expires: number, bytes: number): void {
    this.delete(key);
    if (bytes > this.#maxBytes || this.#maxEntries < 1) return;
    this.#entries.set(key, { value, expires, bytes });
    this.#bytes += bytes;
    this.#evict();
  }

  #evict(): void {
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  /** Adds bytes to an entry's account (bodies rendered after it was stored). */
  grow(key: string, bytes: number): void {
    const hit = this.#entries.get(key);
    if (!hit) return;
    hit.bytes += bytes;
    this.#bytes += bytes;
    this.#evict();
  }

  delete(key: string): void {
    const hit = this.#entries.get(key);
    if (!hit) return;
    this.#entries.delete(key);
    this.#bytes -= hit.bytes;
  }

  get size(): number {
    return this.#entries.size;
  }
}
