// Bounded HTTP for registry clients. (The registry-clients work item fills this in.)

/** The fetch the sources use; tests and doors may wrap it. Same shape as globalThis.fetch. */
export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;
