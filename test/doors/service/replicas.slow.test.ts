// Three replicas (gate, proxy, service) on one PostgreSQL schema: any replica answers, a pushed
// policy and a waiver reach all of them on their next poll, the database going away makes every
// replica fail closed (503 with the reason) and they recover on their own, and the decision log is
// one chain that verifies. Skipped, with a line, only where no PostgreSQL is reachable.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { canonicalPolicy, defaultPolicy, parsePolicy } from "../../../src/core/policy.ts";
import { createProxy } from "../../../src/doors/proxy/index.ts";
import { ServiceMetrics } from "../../../src/doors/service/metrics.ts";
import { createService, recordMetrics, type Service } from "../../../src/doors/service/service.ts";
import { type Gate, openGate } from "../../../src/engine/service.ts";
import { policyDigest } from "../../../src/ledger/ledger.ts";
import { instrumentStore } from "../../../src/store/instrument.ts";
import { openStore } from "../../../src/store/index.ts";
import { StoreUnavailableError } from "../../../src/store/types.ts";
import { postgresForTests } from "../../support/postgres.ts";
import { FIXED_NOW, startRegistryServer } from "../../support/registry-server.ts";
import { startForwarder } from "../../support/tcp-forward.ts";

const pg = await postgresForTests();
after(async () => {
  await pg?.dropAll();
});

interface Replica {
  gate: Gate;
  service: Service;
  get(p: string): Promise<Response>;
  close(): Promise<void>;
}

if (!pg) {
  test("replicas on PostgreSQL", { skip: "no PostgreSQL reachable at 127.0.0.1:5432 (database test): the PostgreSQL suite did not run" }, () => {});
} else {
  test("three replicas share one PostgreSQL: policy, waivers, fail-closed while it is away, one chain", async () => {
    const up = await startRegistryServer();
    const forward = await startForwarder(Number(new URL(pg.url).port || 5432), new URL(pg.url).hostname);
    const schema = await pg.newSchema();
    const dataDir = mkdtempSync(path.join(tmpdir(), "bouncer-replicas-"));
    const viaForwarder = new URL(pg.url);
    viaForwarder.host = `127.0.0.1:${forward.port}`;
    const clock = { now: new Date(FIXED_NOW) };
    const open = async (): Promise<Replica> => {
      let service: Service | undefined;
      const store = instrumentStore(await openStore({ dataDir, url: viaForwarder.href, schema, now: () => clock.now }), {
        operation: (_op, _s, error) => {
          if (error instanceof StoreUnavailableError) service?.storeDown(error);
        },
      });
      const metrics = new ServiceMetrics();
      const gate = await openGate(
        { dataDir, offline: false, policy: defaultPolicy(), now: clock.now, clock: () => clock.now, registries: { npm: up.npmBase, npmDownloads: up.downloadsBase, pypi: up.pypiBase } },
        { store, livePolicy: true, onRecord: recordMetrics(metrics) },
      );
      const proxy = createProxy({ gate, upstreams: { npm: up.npmBase, pypi: up.pypiBase }, publicUrl: "http://bouncer.test/", limits: { cacheTtlMs: 0 } });
      service = createService({ proxy, gate, metrics, auth: { local: true } });
      await service.poll();
      const s = service;
      return {
        gate,
        service: s,
        get: (p) => s.handler(new Request(`http://bouncer.test${p}`)),
        async close() {
          await gate.close();
          await store.close();
        },
      };
    };
    const replicas = [await open(), await open(), await open()];
    const pollAll = () => Promise.all(replicas.map((r) => r.service.poll()));
    try {
      // Any replica answers, and judges as the others do.
      for (const r of replicas) {
        assert.equal((await r.get("/npm/left-pad")).status, 200);
        assert.equal((await r.get("/npm/react-hooks-toolkit-pro")).status, 403);
      }

      // A waiver added through one replica's store lets the package through all of them after their poll.
      await replicas[0]!.gate.store.waivers.add(
        { ecosystem: "npm", name: "react-hooks-toolkit-pro", version: null, scope: { kind: "all" }, by: "alice", reason: "vetted", expiresAt: new Date(clock.now.getTime() + 3_600_000) },
        clock.now,
      );
      await pollAll();
      for (const r of replicas) assert.equal((await r.get("/npm/react-hooks-toolkit-pro")).status, 200);
      clock.now = new Date(clock.now.getTime() + 3_600_000); // expired
      for (const r of replicas) assert.equal((await r.get("/npm/react-hooks-toolkit-pro")).status, 403);

      // A pushed policy reaches every replica on its next poll; its digest is on the decisions made under it.
      const doc = { deny: ["left-pad"] };
      const digest = policyDigest(canonicalPolicy(parsePolicy(doc)));
      await replicas[1]!.gate.store.policies.push(JSON.stringify(doc), digest, "alice", clock.now);
      await pollAll();
      for (const r of replicas) {
        assert.equal(r.gate.policyVersion, 1);
        assert.equal((await r.get("/npm/left-pad")).status, 403);
      }
      const [latest] = await replicas[2]!.gate.log.query({ package: "left-pad", limit: 1 });
      assert.equal(latest?.policyDigest, digest);

      // The database goes away: every replica answers 503 with the reason, serves nothing, and is not ready.
      await forward.cut();
      await pollAll();
      for (const r of replicas) {
        const answer = await r.get("/pypi/simple/requests/");
        assert.equal(answer.status, 503);
        assert.match(((await answer.json()) as { error: string }).error, /store .*unavailable/);
        assert.equal(r.service.state().ready, false);
      }
      // It comes back: the replicas recover on their own poll.
      await forward.restore();
      await pollAll();
      for (const r of replicas) assert.equal((await r.get("/pypi/simple/requests/")).status, 200);

      // One chain across the replicas, intact.
      const verified = await replicas[0]!.gate.log.verify();
      assert.deepEqual(verified.problems, []);
      assert.ok(verified.entries >= 12, `${verified.entries} entries`);
      const entries = await replicas[1]!.gate.log.read({ limit: 1000 });
      assert.deepEqual(
        entries.map((e) => e.seq),
        entries.map((_, i) => i + 1),
      );
    } finally {
      for (const r of replicas) await r.close();
      await forward.close();
      await up.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
