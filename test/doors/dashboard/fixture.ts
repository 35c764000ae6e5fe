// The dashboard over a real embedded store in a temporary directory, its clock set per decision.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PackageResult } from "../../../src/core/model.ts";
import { createDashboard, type DashboardDeps } from "../../../src/doors/dashboard/index.ts";
import type { DashboardData } from "../../../src/doors/dashboard/types.ts";
import { authenticator } from "../../../src/doors/service/auth.ts";
import { getEcosystem } from "../../../src/ecosystems/index.ts";
import type { Decision } from "../../../src/ledger/ledger.ts";
import { openStore } from "../../../src/store/index.ts";
import type { OpenStoreOptions, Store } from "../../../src/store/types.ts";

export const NOW = "2026-11-23T12:00:00.000Z";
export const ADMIN = "admin-token-0123456789abcdef";
export const VIEWER = "viewer-token-0123456789abcdef";

export function decision(over: Partial<Decision> = {}): Decision {
  const name = over.name ?? "left-pad";
  const ecosystem = over.ecosystem ?? "npm";
  return { door: "proxy", purl: `pkg:${ecosystem}/${name}`, ecosystem, name, version: null, verdict: "allow", findings: [], policyDigest: "sha256:00", ...over };
}

/** The ecosystem's own name check, as `bouncer serve` wires it. */
export function canonicalName(ecosystem: string, name: string): string {
  const check = getEcosystem(ecosystem)!.checkName(name);
  if (!check.ok) throw new Error(check.reason);
  return check.name;
}

export interface Fixture {
  store: Store;
  data: DashboardData & { checkResult: PackageResult | Error; verifications: number };
  handler: ReturnType<typeof createDashboard>;
  /** Appends one decision at `time`. */
  log(time: string, over?: Partial<Decision>): Promise<void>;
  call(path: string, options?: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  get(path: string, token?: string): Promise<{ status: number; body: Record<string, unknown> & { error?: string } }>;
  post(path: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> & { error?: string } }>;
  close(): Promise<void>;
}

export async function dashboardFixture(over: Partial<DashboardDeps> = {}, storeOptions: Partial<OpenStoreOptions> = {}): Promise<Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-dashboard-"));
  let clock = new Date(NOW);
  const store = await openStore({ dataDir: dir, now: () => clock, ...storeOptions });
  const data: Fixture["data"] = {
    decisions: store.decisions,
    waivers: store.waivers,
    checkResult: new Error("no check in this test"),
    verifications: 0,
    verify() {
      data.verifications++;
      return store.decisions.verify();
    },
    async check() {
      if (data.checkResult instanceof Error) throw data.checkResult;
      return data.checkResult;
    },
    canonicalName,
  };
  const handler = createDashboard({
    data,
    authenticate: authenticator({ adminToken: ADMIN, viewerToken: VIEWER, local: false }),
    signIn: true,
    clock: () => new Date(NOW),
    ecosystems: ["npm", "pypi"],
    doors: ["check", "guard", "proxy"],
    ...over,
  });
  const call: Fixture["call"] = (p, options = {}) => {
    const headers: Record<string, string> = { "x-bouncer-ui": "1", ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    return handler(new Request(`http://bouncer.invalid${p}`, { method: options.method ?? (body === undefined ? "GET" : "POST"), headers, body }));
  };
  const answer = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: string } });
  return {
    store,
    data,
    handler,
    async log(time, o) {
      clock = new Date(time);
      await store.decisions.append([decision(o)]);
    },
    call,
    get: async (p, token = VIEWER) => answer(await call(p, { token })),
    post: async (p, body, token = ADMIN) => answer(await call(p, { token, body })),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
