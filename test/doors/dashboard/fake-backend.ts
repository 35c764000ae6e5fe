// An in-memory DashboardBackend for the API tests: decisions as given, waivers with the states a store keeps.
import type { PackageResult } from "../../../src/core/model.ts";
import {
  type DashboardBackend,
  type DayCount,
  type DecisionFilter,
  type DecisionRow,
  type IntegrityReport,
  type WaiverRow,
  WaiverRefused,
} from "../../../src/doors/dashboard/types.ts";

export interface FakeBackend extends DashboardBackend {
  rows: DecisionRow[];
  waiverRows: WaiverRow[];
  filters: DecisionFilter[];
  report: IntegrityReport;
  verifications: number;
  checkResult: PackageResult | Error;
}

export function decision(seq: number, time: string, over: Partial<DecisionRow> = {}): DecisionRow {
  const name = over.name ?? "left-pad";
  const ecosystem = over.ecosystem ?? "npm";
  return {
    seq,
    time,
    door: "proxy",
    purl: `pkg:${ecosystem}/${name}`,
    ecosystem,
    name,
    version: null,
    verdict: "allow",
    findings: [],
    policyDigest: "sha256:00",
    ...over,
  };
}

export function fakeBackend(rows: DecisionRow[] = []): FakeBackend {
  let nextId = 1;
  const find = (id: string) => {
    const w = backend.waiverRows.find((x) => x.id === id);
    if (!w) throw new WaiverRefused(`no waiver ${id}`, 404);
    return w;
  };
  const backend: FakeBackend = {
    rows,
    waiverRows: [],
    filters: [],
    verifications: 0,
    report: { entries: rows.length, head: { seq: rows.length, hash: "ab".repeat(32) }, anchored: false, problems: [], notes: [] },
    checkResult: new Error("not set"),
    waiverScopes: ["all", "team", "project"],
    async decisions(f) {
      backend.filters.push(f);
      return backend.rows
        .filter(
          (r) =>
            (!f.door || r.door === f.door) &&
            (!f.verdict || r.verdict === f.verdict) &&
            (!f.ecosystem || r.ecosystem === f.ecosystem) &&
            (!f.name || r.name === f.name) &&
            (!f.nameContains || r.name.toLowerCase().includes(f.nameContains.toLowerCase())) &&
            (!f.since || r.time >= f.since) &&
            (!f.until || r.time < f.until) &&
            (f.beforeSeq === undefined || r.seq < f.beforeSeq),
        )
        .sort((a, b) => b.seq - a.seq)
        .slice(0, f.limit);
    },
    async verdictsByDay(since, until) {
      const days = new Map<string, DayCount>();
      for (const r of backend.rows) {
        if (r.time < since || r.time >= until) continue;
        const day = r.time.slice(0, 10);
        const c = days.get(day) ?? { day, allow: 0, warn: 0, block: 0 };
        c[r.verdict]++;
        days.set(day, c);
      }
      return [...days.values()];
    },
    async verify() {
      backend.verifications++;
      return backend.report;
    },
    async waivers(f) {
      return backend.waiverRows.filter((w) => (!f.ecosystem || w.ecosystem === f.ecosystem) && (!f.name || w.name === f.name));
    },
    async addWaiver(input, by, grant) {
      if (input.name === "cannot-waive") throw new WaiverRefused("known-malicious packages cannot be waived", 403);
      const now = "2026-11-23T12:00:00.000Z";
      const w: WaiverRow = {
        id: String(nextId++),
        ...input,
        status: grant ? "active" : "requested",
        requestedBy: by,
        requestedAt: now,
        decidedBy: grant ? by : null,
        decidedAt: grant ? now : null,
      };
      backend.waiverRows.push(w);
      return w;
    },
    async decideWaiver(id, decision, by, expiresAt) {
      const w = find(id);
      if (w.status !== "requested") throw new WaiverRefused(`waiver ${id} is ${w.status}, not requested`);
      Object.assign(w, { status: decision === "approve" ? "active" : "denied", decidedBy: by, decidedAt: "2026-11-23T12:00:00.000Z", expiresAt: expiresAt ?? w.expiresAt });
      return w;
    },
    async revokeWaiver(id, by) {
      const w = find(id);
      Object.assign(w, { status: "revoked", decidedBy: by });
      return w;
    },
    async check() {
      if (backend.checkResult instanceof Error) throw backend.checkResult;
      return backend.checkResult;
    },
  };
  return backend;
}
