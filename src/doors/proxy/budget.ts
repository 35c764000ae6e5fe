// The proxy's global budget: how many upstream exchanges run at once, and how many bytes of upstream
// documents (the proxy's and the engine's) are held in memory. Bytes are charged to the client
// request that caused them and stay charged until that request is answered. Over the budget a
// request fails at once (the proxy answers 503 with the reason): memory is bounded, never queued for.
import { errorMessage } from "../../core/guards.ts";
import { AsyncLocalStorage } from "node:async_hooks";
import { type Fetcher, UnverifiableError } from "../../sources/http.ts";

export interface BudgetLimits {
  /** Upstream document exchanges (the proxy's and the engine's) in flight at once. */
  maxFetches: number;
  /** Package file downloads in flight at once (they stream, so they hold no bytes). */
  maxFileStreams: number;
  /** Exchanges waiting for a slot; more are refused at once. */
  maxQueued: number;
  /** Upstream document bytes held at once, over every request. */
  maxBufferedBytes: number;
}

export const DEFAULT_BUDGET: BudgetLimits = {
  maxFetches: 32,
  maxFileStreams: 64,
  maxQueued: 256,
  maxBufferedBytes: 256 * 1024 * 1024,
};

/** One client request: the bytes charged to it, and why the budget refused it, if it did. */
interface Scope {
  held: number;
  closed: boolean;
  refused?: string;
}

const MB = 1024 * 1024;

/** A counting semaphore with a bounded, abortable wait. */
class Slots {
  #active = 0;
  readonly #waiting = new Set<() => void>();
  readonly #size: number;
  readonly #maxQueued: number;
  readonly #what: string;

  constructor(size: number, maxQueued: number, what: string) {
    this.#size = size;
    this.#maxQueued = maxQueued;
    this.#what = what;
  }

  /** Resolves to the release function; throws (with the reason) when the queue is full or `signal` aborts. */
  async acquire(signal: AbortSignal | null | undefined): Promise<() => void> {
    if (this.#active >= this.#size || this.#waiting.size) {
      if (this.#waiting.size >= this.#maxQueued) {
        throw new UnverifiableError("aborted", `Bouncer is at its limit of ${this.#size} ${this.#what} at once and ${this.#maxQueued} waiting`);
      }
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener("abort", stop);
          resolve();
        };
        const stop = () => {
          this.#waiting.delete(go);
          reject(new UnverifiableError("aborted", `Bouncer is at its limit of ${this.#size} ${this.#what} at once; none came free in time`));
        };
        if (signal?.aborted) return stop();
        signal?.addEventListener("abort", stop, { once: true });
        this.#waiting.add(go);
      });
    } else {
      this.#active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.values().next();
      if (next.done) this.#active--;
      else {
        this.#waiting.delete(next.value);
        next.value(); // the slot passes on
      }
    };
  }
}

export class UpstreamBudget {
  readonly limits: BudgetLimits;
  readonly #documents: Slots;
  readonly #files: Slots;
  readonly #scope = new AsyncLocalStorage<Scope>();
  #bytes = 0;

  constructor(limits: Partial<BudgetLimits> = {}) {
    this.limits = { ...DEFAULT_BUDGET, ...limits };
    this.#documents = new Slots(this.limits.maxFetches, this.limits.maxQueued, "upstream requests");
    this.#files = new Slots(this.limits.maxFileStreams, this.limits.maxQueued, "file downloads");
  }

  /** Bytes held now (for tests and benchmarks). */
  get bufferedBytes(): number {
    return this.#bytes;
  }

  /** Runs one client request; what its exchanges buffered is released when it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const scope: Scope = { held: 0, closed: false };
    try {
      return await this.#scope.run(scope, work);
    } finally {
      scope.closed = true;
      this.#bytes -= scope.held;
      scope.held = 0;
    }
  }

  /** Why the budget refused part of the current request, if it did. */
  refused(): string | undefined {
    return this.#scope.getStore()?.refused;
  }

  /**
   * Charges `bytes` to the current request (or to `own`, the caller's account, outside a request
   * or after it ended). False, with the request marked refused, when the budget has no room.
   */
  charge(bytes: number, own: { held: number }): boolean {
    const scope = this.#scope.getStore();
    if (this.#bytes + bytes > this.limits.maxBufferedBytes) {
      if (scope) scope.refused ??= this.#overReason();
      return false;
    }
    this.#bytes += bytes;
    if (scope && !scope.closed) scope.held += bytes;
    else own.held += bytes;
    return true;
  }

  /** Gives back what `own` holds. */
  release(own: { held: number }): void {
    this.#bytes -= own.held;
    own.held = 0;
  }

  #overReason(): string {
    const max = this.limits.maxBufferedBytes;
    const size = max >= MB ? `${Math.round(max / MB)} MB` : max >= 1024 ? `${Math.round(max / 1024)} kB` : `${max} bytes`;
    return `Bouncer is holding its limit of ${size} of upstream documents; try again shortly`;
  }

  #refuse(error: unknown): never {
    const scope = this.#scope.getStore();
    if (scope) scope.refused ??= errorMessage(error);
    throw error;
  }

  /** Fetches of registry documents: a slot each, and every body byte charged. */
  documents(inner: Fetcher): Fetcher {
    return this.#wrap(inner, this.#documents, true);
  }

  /** Fetches of package files: a slot each for as long as the body streams. */
  files(inner: Fetcher): Fetcher {
    return this.#wrap(inner, this.#files, false);
  }

  #wrap(inner: Fetcher, slots: Slots, count: boolean): Fetcher {
    return async (url, init) => {
      const release = await slots.acquire(init?.signal).catch((error: unknown) => this.#refuse(error));
      let response: Response;
      try {
        response = await inner(url, init);
      } catch (error) {
        release();
        throw error;
      }
      if (!response.body) {
        release();
        return response;
      }
      const reader = response.body.getReader();
      const own = { held: 0 };
      const done = () => {
        release();
        this.release(own);
      };
      const body = new ReadableStream<Uint8Array>(
        {
          pull: async (controller) => {
            let step: Awaited<ReturnType<typeof reader.read>>;
            try {
              step = await reader.read();
            } catch (error) {
              done();
              controller.error(error);
              return;
            }
            if (step.done) {
              // Bytes charged to a request stay charged until it is answered (its scope ends).
              done();
              controller.close();
              return;
            }
            if (count && !this.charge(step.value.byteLength, own)) {
              const error = new UnverifiableError("aborted", this.#overReason());
              done();
              reader.cancel(error).catch(() => {});
              controller.error(error);
              return;
            }
            controller.enqueue(step.value);
          },
          cancel: (reason) => {
            done();
            return reader.cancel(reason).catch(() => {});
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }
}
