// Differential test: the TOML data the extractors use (smol-toml) against Python's tomllib, on every
// TOML fixture (shared and ours), hand-written edge cases and seeded mutations of the fixtures, in
// one python3 run; and the positions scanner's lines checked against the text. Skipped (with the
// reason) only where python3 >= 3.11 is missing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import { lockPackages } from "../../../../src/ecosystems/pypi/manifests/common.ts";
import { pathKey, tomlPositions } from "../../../../src/formats/toml.ts";
import { seeded } from "../../random.ts";
import { OWN_FIXTURES } from "./support.ts";

const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../../shared/fixtures");

const ORACLE = `
import json, sys, math, datetime
try:
    import tomllib
except Exception as e:
    json.dump({"skip": str(e)}, sys.stdout); sys.exit(0)
def norm(v):
    if isinstance(v, dict): return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list): return [norm(x) for x in v]
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)): return "<date>"
    if isinstance(v, bool): return v
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)): return "<" + str(v) + ">"
    if isinstance(v, int) and abs(v) > 2**53: return "<bigint>"
    return v
out = []
for doc in json.load(sys.stdin):
    try:
        out.append({"ok": norm(tomllib.loads(doc))})
    except Exception as e:
        out.append({"error": type(e).__name__})
json.dump({"results": out}, sys.stdout)
`;

function norm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(norm);
  if (value instanceof Date) return "<date>";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "<nan>";
    if (!Number.isFinite(value)) return value > 0 ? "<inf>" : "<-inf>";
    if (Number.isInteger(value) && Math.abs(value) > 2 ** 53) return "<bigint>";
    return value;
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, norm(v)]));
  }
  return value;
}

function tomlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /(\.toml|\.lock|Pipfile)$/.test(f))
    .map((f) => path.join(dir, f));
}

const EDGE_CASES = [
  'a = """\nname = "x"\n[[package]]\n"""\n[[package]]\nname = "real"\n',
  "a = '''\n[[package]]\n'''\nb = 'lit\\\\eral'\n",
  'k = "tab\\tquote\\"u\\u00e9U\\U0001F600"\n',
  '"quoted.key" = 1\nbare-key_1 = 2\n\'lit key\' = 3\n',
  "a.b.c = 1\na.d = [1, 2.5, -3e2, inf, -inf, nan, true, false]\n",
  "t = { x = 1, y = { z = [ {w = 1}, {w = 2} ] } }\n",
  "[a]\n[a.b]\nc = 1\n[[a.list]]\nx = 1\n[[a.list]]\nx = 2\n[[a.list.sub]]\ny = 3\n",
  "d1 = 1979-05-27T07:32:00Z\nd2 = 1979-05-27\nd3 = 07:32:00\nd4 = 1979-05-27 07:32:00.999\n",
  'arr = [\n  "a", # comment\n  "b",\n]\n',
  "x = 0x1F\ny = 0o17\nz = 0b101\nw = 1_000\n",
  's = """a""""\n',
  'dup = 1\ndup = 2\n',
  "[t]\n[t]\n",
  'bad = "unterminated\n',
  "= 1\n",
  "a = [1,,2]\n",
];

function mutate(seed: number, text: string): string {
  const r = seeded(seed);
  const chars = [...text];
  const alphabet = ['"', "'", "[", "]", "{", "}", "=", ",", ".", "\n", " ", "#", "\\", "a", "1"];
  const edits = 1 + r.int(3);
  for (let i = 0; i < edits; i++) {
    const at = r.int(chars.length + 1);
    const op = r.int(3);
    if (op === 0) chars.splice(at, 0, r.pick(alphabet));
    else if (op === 1) chars.splice(at, 1);
    else chars[at] = r.pick(alphabet);
  }
  return chars.join("");
}

test("differential: smol-toml and tomllib agree on the data of every TOML input they both accept", (t) => {
  const files = [...["pyproject-pep621", "poetry-lock", "uv-lock", "pdm-lock"].flatMap((d) => tomlFiles(path.join(SHARED, d))), ...tomlFiles(OWN_FIXTURES)];
  const docs = files.map((f) => readFileSync(f, "utf8"));
  const inputs = [...docs, ...EDGE_CASES];
  docs.forEach((doc, i) => {
    for (let k = 0; k < 15; k++) inputs.push(mutate(i * 100 + k, doc));
  });
  // TOML 1.1 (which smol-toml reads) adds the "\e" escape; tomllib reads TOML 1.0. Each input
  // with one is also sent spelled "\u001b", which TOML 1.0 must accept with the same data.
  const toml10 = (text: string) => text.replace(/(?<!\\)((?:\\\\)*)\\e/g, "$1\\u001b");
  const spelled = inputs.map((text, i) => ({ i, text: toml10(text) })).filter((x) => x.text !== inputs[x.i]);
  const payload = [...inputs, ...spelled.map((x) => x.text)];
  const run = spawnSync("python3", ["-c", ORACLE], { input: JSON.stringify(payload), maxBuffer: 256 * 1024 * 1024 });
  if (run.error || run.status !== 0) {
    t.skip(`python3 not runnable: ${run.error?.message ?? run.stderr.toString()}`);
    return;
  }
  const answer = JSON.parse(run.stdout.toString()) as { skip?: string; results: Array<{ ok?: unknown; error?: string }> };
  if (answer.skip) {
    t.skip(answer.skip);
    return;
  }
  let both = 0;
  const dataDiffs: string[] = [];
  const verdictDiffs: string[] = [];
  const respelled = new Map(spelled.map((x, k) => [x.i, answer.results[inputs.length + k]!]));
  answer.results.slice(0, inputs.length).forEach((original, i) => {
    const ref = original.ok === undefined ? (respelled.get(i) ?? original) : original;
    let ours: unknown;
    let ok = true;
    try {
      ours = norm(parseToml(inputs[i]!));
    } catch {
      ok = false;
    }
    if (ok && ref.ok !== undefined) {
      both++;
      if (JSON.stringify(ours) !== JSON.stringify(ref.ok)) dataDiffs.push(JSON.stringify(inputs[i]!.slice(0, 200)));
    } else if (ok !== (ref.ok !== undefined)) {
      verdictDiffs.push(`${JSON.stringify(inputs[i]!.slice(0, 120))}: smol-toml ${ok ? "accepts" : "rejects"}`);
    }
  });
  assert.deepEqual(dataDiffs, []);
  // Every fixture and the valid edge cases parse on both sides.
  assert.ok(both >= docs.length + 9, `both accepted ${both}`);
  assert.deepEqual(verdictDiffs.slice(0, 10), []);
  assert.ok(spelled.length > 0, "the mutations exercise the TOML 1.1 escape");
});

test("positions: every lockfile package's line holds its name, every pyproject requirement's line holds it", () => {
  const files = [...["poetry-lock", "uv-lock", "pdm-lock", "pyproject-pep621"].flatMap((d) => tomlFiles(path.join(SHARED, d))), ...tomlFiles(OWN_FIXTURES)];
  let checked = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    let data: Record<string, unknown>;
    try {
      data = parseToml(text) as Record<string, unknown>;
    } catch {
      continue;
    }
    const lines = text.split("\n");
    for (const p of lockPackages(data, text, file, [])) {
      assert.match(lines[p.line! - 1]!, new RegExp(`name\\s*=\\s*"${p.name.replace(/[.]/g, "\\.")}"`), `${file}: ${p.name}`);
      checked++;
    }
    const positions = tomlPositions(text, 6);
    const project = data.project as Record<string, unknown> | undefined;
    const deps = Array.isArray(project?.dependencies) ? (project.dependencies as unknown[]) : [];
    deps.forEach((dep, i) => {
      const line = positions.get(pathKey("project", "dependencies", i));
      const firstWord = String(dep).split(/[^A-Za-z0-9._-]/)[0]!;
      assert.ok(line && lines[line - 1]!.includes(firstWord), `${file}: dependency ${i}`);
      checked++;
    });
  }
  assert.ok(checked > 60, `checked ${checked}`);
  // Headers, dotted keys and multi-line strings that mention [[package]] do not shift anything.
  const positions = tomlPositions(EDGE_CASES[0]!, 4);
  assert.equal(positions.get(pathKey("package", 0, "name")), 6);
  assert.equal(positions.get(pathKey("package", 1)), undefined);
  const nested = tomlPositions(EDGE_CASES[6]!, 6);
  assert.equal(nested.get(pathKey("a", "list", 1, "x")), 7);
  assert.equal(nested.get(pathKey("a", "list", 1, "sub", 0, "y")), 9);
});
