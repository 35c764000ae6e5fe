// Writes data/github-actions.json.gz, the shipped GitHub Actions index, from the offline dataset
// (../shared/datasets/github-actions, built by its build.py from repository snapshots).
// Usage: node scripts/generate-github-actions.ts [--dataset DIR] [--out FILE]
import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { ActionsIndexFile, CompactMeta, CompactRepo } from "../src/ecosystems/github/data.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const dataset = path.resolve(repoRoot, option("--dataset", "../shared/datasets/github-actions"));
const outFile = path.resolve(repoRoot, option("--out", "data/github-actions.json.gz"));

// The dataset's JSON, read as it is documented in its README.
// biome-ignore lint/suspicious/noExplicitAny: untyped input of a build script
type Json = Record<string, any>;

async function* jsonl(file: string): AsyncGenerator<Json> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as Json;
}

// Metadata files are shared by content across tags and repositories: each distinct one is kept once.
const metas: CompactMeta[] = [];
const metaIds = new Map<string, number>();
function metaIndex(meta: Json | undefined): number | null {
  if (!meta) return null;
  const inputs: CompactMeta["inputs"] = {};
  for (const [name, input] of Object.entries<Json>(meta.inputs ?? {})) {
    const entry: CompactMeta["inputs"][string] = [input.required === true ? 1 : 0, input.default ?? null];
    if (input.deprecationMessage) entry.push(String(input.deprecationMessage));
    inputs[name] = entry;
  }
  const compact: CompactMeta = { using: meta.using ?? null, inputs };
  if (meta.runs_missing) compact.noRuns = true;
  if (meta.error) compact.error = true;
  if (meta.outputs?.length) compact.outputs = meta.outputs;
  const key = JSON.stringify(compact);
  let id = metaIds.get(key);
  if (id === undefined) {
    id = metas.length;
    metas.push(compact);
    metaIds.set(key, id);
  }
  return id;
}

/** Sorted 32-bit prefixes of the reachable commits: a full SHA absent from them was never in the repository. */
function commitPrefixes(shas: readonly string[]): string {
  const values = new Uint32Array(shas.length);
  shas.forEach((sha, i) => {
    values[i] = Number.parseInt(sha.slice(0, 8), 16);
  });
  values.sort();
  return Buffer.from(values.buffer).toString("base64");
}

async function main(): Promise<void> {
  const commits = new Map<string, string>();
  for await (const row of jsonl(path.join(dataset, "commits.jsonl"))) commits.set(String(row.repo).toLowerCase(), commitPrefixes(row.commits));
  const repos: Record<string, CompactRepo> = {};
  let newest = "";
  for await (const row of jsonl(path.join(dataset, "actions.jsonl"))) {
    const meta = (id: string | null | undefined) => metaIndex(id ? row.metas[id] : undefined);
    const tags: CompactRepo["tags"] = {};
    for (const [tag, t] of Object.entries<Json>(row.tags ?? {})) {
      const entry: CompactRepo["tags"][string] = [t.sha, meta(t.meta)];
      const sub: Record<string, number> = {};
      for (const [p, id] of Object.entries<string>(t.sub ?? {})) sub[p.toLowerCase()] = meta(id)!;
      if (Object.keys(sub).length) entry.push(sub);
      else if (t.dockerfile_only) entry.push(0);
      tags[tag] = entry;
    }
    const head = row.default_branch_meta ?? {};
    const headSub: Record<string, number> = {};
    for (const [p, id] of Object.entries<string>(head.sub ?? {})) headSub[p.toLowerCase()] = meta(id)!;
    const repo: CompactRepo = {
      name: row.repo,
      defaultBranch: row.default_branch,
      head: [head.sha ?? null, meta(head.meta), headSub],
      tags,
      branches: Object.keys(row.branches ?? {}),
      commits: commits.get(String(row.repo).toLowerCase()) ?? "",
      snapshot: row.fetched_commit_date,
    };
    if (row.latest_semver_tag) repo.latest = row.latest_semver_tag;
    if (row.archived === true) repo.archived = (row.archived_sources ?? []).slice(0, 2);
    if (row.same_history_as) repo.movedTo = row.same_history_as;
    const replacement = /use\s+([\w.-]+\/[\w.-]+)/i.exec((row.notes ?? []).join(" "));
    if (!repo.movedTo && replacement && /deprecated/i.test((row.notes ?? []).join(" "))) repo.movedTo = replacement[1];
    if (row.advisories?.length) {
      repo.advisories = row.advisories.map((a: Json) => ({
        id: a.id,
        summary: a.summary,
        ...(a.malicious_commit ? { commit: a.malicious_commit } : {}),
        ...(/@(v[\d.]+)\b/.exec(a.summary ?? "") ? { refs: [/@(v[\d.]+)\b/.exec(a.summary)![1]] } : {}),
        ...(/tags v\d[\d.]* through (v[\d.]*\d)/.exec(a.summary ?? "") ? { through: /tags v\d[\d.]* through (v[\d.]*\d)/.exec(a.summary)![1] } : {}),
        sources: a.sources,
      }));
    }
    repos[String(row.repo).toLowerCase()] = repo;
    if (row.fetched_commit_date > newest) newest = row.fetched_commit_date;
  }
  const runners = JSON.parse(readFileSync(path.join(dataset, "runners.json"), "utf8")) as Json;
  const commands = JSON.parse(readFileSync(path.join(dataset, "workflow-commands.json"), "utf8")) as Json;
  const runtimes = JSON.parse(readFileSync(path.join(dataset, "runtimes.json"), "utf8")) as Json;
  const firstEvent = (events: Json[] | undefined, pattern: RegExp) => (events ?? []).find((e) => pattern.test(e.event))?.date ?? null;
  const out: ActionsIndexFile = {
    format: 1,
    source: "github-actions dataset (actions/* and 300 widely used action repositories; runner-images and runner history)",
    newestSnapshot: newest,
    repos,
    metas,
    runners: Object.fromEntries(
      Object.entries<Json>(runners.labels).map(([label, r]) => [
        label,
        { status: r.status, deprecated: r.deprecation_start ?? null, unsupported: r.unsupported_from ?? null, source: (r.sources ?? []).find((s: string) => s.startsWith("http")) ?? null },
      ]),
    ),
    commands: Object.fromEntries(
      Object.entries<Json>(commands.deprecated_commands).map(([name, c]) => [
        name,
        {
          disabled: c.status === "disabled",
          deprecated: c.events?.[0]?.date ?? null,
          replacement: c.replacement,
          source: c.events?.[0]?.source ?? null,
        },
      ]),
    ),
    runtimes: Object.fromEntries(
      Object.entries<Json>(runtimes.runtimes)
        .filter(([name]) => name.startsWith("node"))
        .map(([name, r]) => [
          name,
          {
            deprecated: firstEvent(r.events, /deprecat/i),
            removed: firstEvent(r.events, /node\d+ removed/i),
            source: (r.events ?? []).find((e: Json) => /deprecat/i.test(e.event))?.source ?? null,
          },
        ]),
    ),
    accepted: runtimes.accepted_runs_using.values,
  };
  const bytes = gzipSync(JSON.stringify(out), { level: 9 });
  writeFileSync(outFile, bytes);
  console.log(`${outFile}: ${Object.keys(repos).length} repositories, ${metas.length} distinct metadata files, ${bytes.length} bytes`);
}

await main();
