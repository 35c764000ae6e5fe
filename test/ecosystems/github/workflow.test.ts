// The workflow reader: uses/with/runs-on/run, aliases, composite actions, fenced blocks, schema basics.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readdirSync, readFileSync } from "node:fs";
import { extractWorkflow, workflowExtractor } from "../../../src/ecosystems/github/workflow.ts";
import { parseTree } from "../../../src/formats/yaml.ts";
import { ciScriptCommands } from "../../../src/extract/text.ts";
import { gather } from "../../../src/engine/scan.ts";

const CORPUS = new URL("../../../../shared/datasets/github-actions/workflows/", import.meta.url);

const WORKFLOW = `name: ci
on: [push]
jobs:
  build:
    runs-on: [ubuntu-20.04, self-hosted]
    steps:
      - &checkout
        uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: ./local-action
      - uses: $/.github/actions/setup
      - uses: docker://alpine:3
      - uses: actions/setup-node@v4
        with: \${{ fromJSON(inputs.node) }}
      - run: |
          echo "::set-output name=a::b"
          pip install requests
      - uses: x/y@v1
        env:
          TOKEN: t
  again:
    runs-on: \${{ matrix.os }}
    steps:
      - *checkout
  call:
    uses: octo/repo/.github/workflows/ci.yml@main
`;

test("every uses with its with: keys; local and docker uses skipped; aliases resolved; install commands kept", () => {
  // The scan hands in the free-text reader of `run:` scripts (test/engine covers that path).
  const { dependencies, problems } = workflowExtractor.extract(WORKFLOW, ".github/workflows/ci.yml", { scriptCommands: ciScriptCommands });
  assert.deepEqual(problems, []);
  const seen = dependencies.map((d) => [d.ecosystem, d.name, d.version, d.location.line, JSON.stringify(d.usage ?? null)]);
  assert.deepEqual(seen, [
    ["github", "actions/runner-images", "ubuntu-20.04", 5, "null"],
    ["github", "actions/checkout", "v4", 8, '{"inputs":["fetch-depth"]}'],
    ["github", "actions/setup-node", "v4", 14, '{"dynamic":["true"]}'],
    ["github", "actions/runner", null, 17, '{"commands":["set-output"]}'],
    ["pypi", "requests", null, 18, "null"],
    ["github", "x/y", "v1", 19, '{"inputs":[],"env":["TOKEN"]}'],
    ["github", "actions/checkout", "v4", 8, '{"inputs":["fetch-depth"]}'],
    ["github", "octo/repo/.github/workflows/ci.yml", "main", 27, '{"workflow":["true"]}'],
  ]);
});

test("a scan hands the workflow reader the install commands of run: scripts, PowerShell ones too", () => {
  const text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install requests\n      - run: npm install left-pad\n        shell: pwsh\n";
  const found = gather({ cwd: "/", paths: [], stdin: { text, name: ".github/workflows/ci.yml" } });
  const installs = found.dependencies.filter((d) => d.kind === "install-command").map((d) => [d.ecosystem, d.name, d.location.line]);
  assert.deepEqual(installs, [["pypi", "requests", 6], ["npm", "left-pad", 7]]);
});

test("composite actions: their steps' uses; the runs-on of self-hosted and expression labels are not judged", () => {
  const action = "name: a\nruns:\n  using: composite\n  steps:\n    - uses: actions/cache@v4\n      with: { path: x, key: y }\n    - run: echo hi\n      shell: bash\n";
  const { dependencies } = workflowExtractor.extract(action, "action.yml");
  assert.deepEqual(dependencies.map((d) => [d.name, d.version, d.usage]), [["actions/cache", "v4", { inputs: ["path", "key"] }]]);
});

test("schema basics: unknown keys, a step with neither or both of uses and run, jobs that are not a mapping", () => {
  const bad = "on: push\npermisions: read-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    step: []\n    steps:\n      - name: nothing\n      - uses: a/b@v1\n        run: x\n        wiht: {}\n      - uses: a/c\n";
  const problems = extractWorkflow(bad, "w.yml").dependencies.filter((d) => d.usage?.problems).map((d) => [d.location.line, d.usage!.problems![0]]);
  assert.deepEqual(problems, [
    [2, 'unknown top-level key "permisions"'],
    [6, 'job "a": unknown key "step"'],
    [8, 'job "a": a step needs uses or run'],
    [11, 'job "a": unknown step key "wiht"'],
    [9, 'job "a": a step has both uses and run'],
    [12, '"a/c" needs a ref: a/c@<tag, branch or SHA>'],
  ]);
  assert.deepEqual(extractWorkflow("on: push\njobs: [a]\n", "w.yml").dependencies.map((d) => d.usage?.problems?.[0]), ['"jobs" must be a mapping of job ids']);
  const typed = [
    "on: [push, pull-request]",
    "permissions:",
    "  contents: readonly",
    "  pull_requests: write",
    "jobs:",
    "  a:",
    "    runs-on: ubuntu-latest",
    "    permissions: read",
    "    timeout-minutes: ten",
    "    steps:",
    "      - run: make",
    `        timeout-minutes: \${{ inputs.t }}`,
  ].join("\n");
  assert.deepEqual(
    extractWorkflow(typed, "w.yml").dependencies.filter((d) => d.usage?.problems).map((d) => [d.location.line, d.usage!.problems![0]]),
    [
      [1, '"pull-request" is not an event that triggers workflows'],
      [3, "permissions: contents must be read, write or none"],
      [4, 'permissions: "pull_requests" is not a permission scope'],
      [8, 'job "a": permissions: "read" is not read-all or write-all'],
      [9, 'job "a": timeout-minutes must be a number'],
    ],
  );
  assert.match(extractWorkflow("jobs: {a: [}\n", "w.yml").problems[0]!.reason, /not valid YAML/);
});

test("a fenced block of an answer: a whole workflow, a list of steps or one step, with the answer's line numbers", () => {
  const steps = workflowExtractor.extractFence!("- uses: actions/checkout@v4\n- uses: actions/cache@v9\n  with:\n    path: x", 20, "answer.md");
  assert.deepEqual(steps.map((d) => [d.name, d.version, d.location.line]), [["actions/checkout", "v4", 20], ["actions/cache", "v9", 21]]);
  const one = workflowExtractor.extractFence!("uses: actions/setup-go@v5\nwith:\n  go-version: '1.22'", 5, "a.md");
  assert.deepEqual(one.map((d) => [d.name, d.location.line, d.usage]), [["actions/setup-go", 5, { inputs: ["go-version"] }]]);
  assert.deepEqual(workflowExtractor.extractFence!("key: value\nother: 1", 1, "a.md"), []);
});

test("the fast reader and the full YAML parser read the maintainers' workflows alike", () => {
  let fast = 0;
  const files = readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f));
  for (const f of files) {
    const text = readFileSync(new URL(f, CORPUS), "utf8");
    const full = parseTree(text, 1, "full");
    const quick = parseTree(text, 1, "auto");
    assert.deepEqual(quick, full, f);
    if (parseTree(text, 1, "fast-only") !== null) fast++;
  }
  // Most workflows stay inside the subset (anchors and multi-line plain scalars are not).
  assert.ok(fast > files.length * 0.9, `${fast} of ${files.length}`);
});

test("the fast reader: flow collections, quoted keys and values, comments, block scalars, sequences at their key's indentation", () => {
  const text = [
    "on: [push, 'pull_request']  # triggers",
    "jobs:",
    "  a:",
    '    "runs-on": { group: big, labels: [ubuntu-24.04, "x # y"] }',
    "    steps:",
    "    - run: |",
    "        echo a # not a comment",
    "",
    "        echo b",
    "      shell: bash",
    "    - uses: a/b@v1 # pinned",
    "      with: {k: 'it''s', n: ~}",
  ].join("\n");
  assert.deepEqual(parseTree(text, 1, "fast-only"), parseTree(text, 1, "full"));
  assert.equal(parseTree("a: &x 1\nb: *x\n", 1, "fast-only"), null);
  assert.equal(parseTree("a: plain\n  continued\n", 1, "fast-only"), null);
});

test("fuzz: mutated workflows and random text never make the reader throw; what both readers accept they read alike", async () => {
  const { seededRandom } = await import("../../support/random.ts");
  const rand = seededRandom(13);
  const files = readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f)).slice(0, 120);
  const pieces = ["\n", " ", "  ", "- ", ": ", "|", ">", "[", "]", "{", "}", "'", '"', "#", "&a ", "*a", "\t", "---\n", `\${{ x }}`, "\\"];
  let compared = 0;
  for (const f of files) {
    const text = readFileSync(new URL(f, CORPUS), "utf8");
    for (let k = 0; k < 5; k++) {
      let t = text;
      for (let m = 0; m < 3; m++) {
        const at = Math.floor(rand() * t.length);
        const cut = rand() < 0.5 ? Math.floor(rand() * 20) : 0;
        t = t.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + t.slice(at + cut);
      }
      const result = workflowExtractor.extract(t, ".github/workflows/x.yml", { scriptCommands: ciScriptCommands });
      assert.ok(Array.isArray(result.dependencies));
      const fast = parseTree(t, 1, "fast-only");
      const full = parseTree(t, 1, "full");
      if (fast && "root" in full) {
        compared++;
        assert.deepEqual(fast, full, `${f} mutated`);
      }
    }
  }
  assert.ok(compared > 100, String(compared));
  for (let i = 0; i < 300; i++) {
    const t = Array.from({ length: 40 }, () => pieces[Math.floor(rand() * pieces.length)]).join("");
    workflowExtractor.extract(t, "action.yml");
  }
});

test("nested aliases (billion laughs) are refused once the tree passes its node budget, not expanded", () => {
  let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (const [i, name] of [..."bcdefg"].entries()) laughs += `${name}: &${name} [${Array(10).fill(`*${"abcdefg"[i]}`).join(", ")}]\n`;
  const parsed = parseTree(laughs);
  assert.ok("error" in parsed && /aliases are expanded/.test(parsed.error), JSON.stringify(parsed).slice(0, 200));
  assert.match(extractWorkflow(laughs, ".github/workflows/x.yml").problems[0]?.reason ?? "", /not valid YAML: more than/);
});
