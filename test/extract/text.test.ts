import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import {
  ciYamlExtractor,
  devcontainerExtractor,
  dockerfileExtractor,
  extractFromText,
  makefileExtractor,
  markdownExtractor,
  shellScriptExtractor,
  textExtractors,
  transcriptExtractor,
} from "../../src/extract/text.ts";
import { installCommandsInLines, junkReason } from "../../src/extract/install-text.ts";
import type { ExtractedDependency, ExtractResult } from "../../src/core/dependency.ts";
import { workflowExtractor } from "../../src/ecosystems/github/workflow.ts";
import { pick, random } from "../support/fuzz.ts";
import { BLOWUP_MS } from "../support/bounded.ts";

const REAL_DOCS = new URL("../../../shared/fixtures/markdown-install-commands/real-docs/", import.meta.url);

/** "line ecosystem name@version [dev] (source)" for install commands; imports left out. */
function installs(result: ExtractResult): string[] {
  return result.dependencies
    .filter((d) => d.kind === "install-command")
    .map((d) => `${d.location.line} ${d.ecosystem} ${d.name}${d.version ? `@${d.version}` : ""}${d.dev ? " dev" : ""}${d.source === "registry" ? "" : ` (${d.source})`}`);
}

test("real READMEs: every labelled install command, at its line, and nothing else", () => {
  const files = readdirSync(REAL_DOCS).filter((f) => f.endsWith(".md"));
  assert.equal(files.length, 3);
  for (const file of files) {
    const expected = JSON.parse(readFileSync(new URL(`${file}.expected.json`, REAL_DOCS), "utf8")) as {
      cases: Array<{ line: number; packages: string[] }>;
    };
    const result = markdownExtractor.extract(readFileSync(new URL(file, REAL_DOCS), "utf8"), file);
    assert.deepEqual(result.problems, [], file);
    const found = result.dependencies.filter((d) => d.kind === "install-command");
    const want = expected.cases.flatMap((c) => c.packages.map((p) => `${c.line} ${p}`)).sort();
    assert.deepEqual(found.map((d) => `${d.location.line} ${d.name}`).sort(), want, file);
    for (const d of found) assert.equal(d.location.file, file);
  }
});

test("real READMEs: poetry --group dev is a dev dependency; fenced js imports come from the import extractor", () => {
  const deptry = markdownExtractor.extract(readFileSync(new URL("deptry-README.md", REAL_DOCS), "utf8"), "deptry-README.md");
  assert.deepEqual(installs(deptry), ["35 pypi deptry dev", "38 pypi deptry"]);
  assert.equal(deptry.dependencies.find((d) => d.location.line === 35)!.group, "dev");
  const depcheck = markdownExtractor.extract(readFileSync(new URL("depcheck-README.md", REAL_DOCS), "utf8"), "x.md");
  const imports = depcheck.dependencies.filter((d) => d.kind === "import");
  assert.deepEqual(
    imports.map((d) => [d.location.line, d.name]),
    [[131, "depcheck"]],
  );
});

test("Markdown: fences, prompts, console output, inline spans, prose lines, tables, quotes", () => {
  const md = [
    "# Title", // 1
    "",
    "Install with: pip install fastapi-users and uvicorn.", // 3
    "",
    "- `npm i -D eslint`", // 5
    "> pip install quoted-pkg", // 6
    "",
    "| cmd | what |",
    "|---|---|",
    "| `yarn add left-pad` | pad |", // 10
    "",
    "```console",
    "$ pip install foo", // 13
    "Collecting foo",
    "npm notice x",
    "$ npm install \\",
    ">   bar", // 17
    "```",
    "",
    "   ```bash",
    '   cd x && pip install -U requests==2.31 "flask[async]>=2" ; npm i -D typescript@5 @types/node', // 21
    "   ```",
    "",
    "```python",
    "!pip install nbpkg", // 25
    "import numpy as np", // 26
    "```",
    "",
    "You should pip install it first.",
    "Then run npm install to get deps.",
    "pip install the requests library",
    "Run `pip install -r requirements.txt` and `npm ci`.",
    "~~~sh",
    "sudo npm i -g pm2", // 34
    "~~~",
    "```json",
    '{ "run": "pip install notme" }',
    "```",
    "```ts",
    "import { z } from 'zod';", // 40
    "```",
  ].join("\n");
  const result = markdownExtractor.extract(md, "README.md");
  assert.deepEqual(installs(result), [
    "3 pypi fastapi-users",
    "5 npm eslint dev",
    "6 pypi quoted-pkg",
    "10 npm left-pad",
    "13 pypi foo",
    "17 npm bar",
    "21 pypi requests@2.31",
    "21 pypi flask@>=2",
    "21 npm typescript@5 dev",
    "21 npm @types/node dev",
    "25 pypi nbpkg",
    "34 npm pm2",
  ]);
  const imports = result.dependencies.filter((d) => d.kind === "import").map((d) => [d.location.line, d.ecosystem, d.importName]);
  assert.deepEqual(imports, [
    [26, "pypi", "numpy"],
    [40, "npm", "zod"],
  ]);
  assert.deepEqual(result.problems, []);
});

test("Markdown: the brief's compound line, bash -c, continuations, sudo, options with values", () => {
  const md = [
    "```bash",
    'cd x && pip install -U requests==2.31 "flask[async]>=2" ; npm i -D typescript@5 @types/node', // 2
    "bash -c 'pip install inner-a && npx -y inner-b'", // 3
    "pip install \\", // 4
    "  --index-url https://mirror.example/simple \\",
    "  cont-pkg \\", // 6
    "  -t dir", // 7
    "sudo -H pip3 install sudo-pkg", // 8
    "npm i --registry https://r x", // 9
    "pip install -i https://x/simple foo", // 10
    "python -m pip install --no-deps -e . git+https://github.com/o/r.git#egg=r", // 11
    "```",
  ].join("\n");
  assert.deepEqual(installs(markdownExtractor.extract(md, "a.md")), [
    "2 pypi requests@2.31",
    "2 pypi flask@>=2",
    "2 npm typescript@5 dev",
    "2 npm @types/node dev",
    "3 pypi inner-a",
    "3 npm inner-b",
    "6 pypi cont-pkg",
    "8 pypi sudo-pkg",
    "9 npm x",
    "10 pypi foo",
    "11 pypi . (path)",
    "11 pypi r (git)",
  ]);
  const gitDep = markdownExtractor.extract(md, "a.md").dependencies.find((d) => d.source === "git")!;
  assert.equal(gitDep.spec, "git+https://github.com/o/r.git#egg=r");
});

test("Markdown: fences inside list items and blockquotes, unclosed fences, untagged blocks", () => {
  const md = ["1. Install:", "", "    ```", "    pip install in-list", "    ```", "> ```sh", "> npm i quoted", "> ```", "```bash", "yarn add tail"].join("\n");
  assert.deepEqual(installs(markdownExtractor.extract(md, "a.md")), ["4 pypi in-list", "7 npm quoted", "10 npm tail"]);
});

test("Markdown: fenced Dockerfile, Makefile and workflow YAML keep the file's lines", () => {
  const md = [
    "Docker:",
    "```dockerfile",
    "FROM python:3.12",
    "RUN pip install in-docker", // 4
    "```",
    "```makefile",
    "deps:",
    "\tnpm i in-make", // 8
    "```",
    "```yaml",
    "steps:",
    "  - run: |",
    "      pip install in-yaml", // 13
    "```",
    "```yaml",
    "name: not a workflow",
    "```",
  ].join("\n");
  assert.deepEqual(installs(markdownExtractor.extract(md, "a.md")), ["4 pypi in-docker", "8 npm in-make", "13 pypi in-yaml"]);
});

test("extractFromText: chat text without fences; each line tried as a command", () => {
  const chat = [
    "User: how do I parse YAML?",
    "Assistant: Install PyYAML: pip install pyyaml and then import yaml.",
    "pip install foo",
    "$ npm i bar",
    "You might use pandas here.",
    "Then: npx create-next-app@latest my-app",
  ].join("\n");
  const result = extractFromText(chat, "<stdin>");
  assert.deepEqual(installs(result), ["2 pypi pyyaml", "3 pypi foo", "4 npm bar", "6 npm create-next-app@latest"]);
  assert.equal(result.dependencies[0]!.location.file, "<stdin>");
  assert.deepEqual(installs(extractFromText("")), []);
});

test("shell scripts: real shell, problems for operands only known at run time", () => {
  const sh = [
    "#!/bin/bash",
    "set -e",
    "if command -v pip >/dev/null; then",
    '  sudo -H pip3 install --user "requests>=2" || exit 1', // 4
    "fi",
    'bash -c "npm install -D typescript@5"', // 6
    'for p in a b; do pip install "$p"; done', // 7
    "cat > req.txt <<EOF",
    "pip install not-a-command",
    "EOF",
    "pip install 1.2.3", // 11
  ].join("\n");
  const result = shellScriptExtractor.extract(sh, "setup.sh");
  assert.deepEqual(installs(result), ["4 pypi requests@>=2", "6 npm typescript@5 dev"]);
  assert.deepEqual(
    result.problems.map((p) => p.line),
    [7, 11],
  );
  assert.match(result.problems[0]!.reason, /only known when the script runs/);
});

test("Dockerfile: RUN shell and JSON forms, continuations with comments, heredocs, CMD", () => {
  const dockerfile = [
    "# syntax=docker/dockerfile:1",
    "FROM python:3.12",
    "RUN pip install --no-cache-dir -r requirements.txt numpy", // 3
    "RUN apt-get update && \\",
    "    # comment inside",
    "    pip install \\",
    "      flask==3.0 \\", // 7
    '      "uvicorn[standard]"', // 8
    'RUN ["pip", "install", "gunicorn"]', // 9
    'RUN ["/bin/sh", "-c", "npm i -g pm2"]', // 10
    "RUN <<SCRIPT",
    "pip install inheredoc", // 12
    "npm install also", // 13
    "SCRIPT",
    "RUN python3 <<PY",
    "import os",
    "PY",
    "RUN --mount=type=cache,target=/root/.cache pip install torch", // 18
    'CMD ["npx", "serve", "-s", "build"]', // 19
    "run pip install lower-case", // 20
  ].join("\n");
  const result = dockerfileExtractor.extract(dockerfile, "Dockerfile");
  assert.deepEqual(installs(result), [
    "3 pypi numpy",
    "7 pypi flask@3.0",
    "8 pypi uvicorn",
    "9 pypi gunicorn",
    "10 npm pm2",
    "12 pypi inheredoc",
    "13 npm also",
    "18 pypi torch",
    "19 npm serve",
    "20 pypi lower-case",
  ]);
  assert.deepEqual(result.problems, []);
  const more = [
    "FROM node",
    "ONBUILD RUN npm i onbuild-pkg", // 2
    "RUN echo $((1<<2)) && cat <<< word", // 3
    "RUN npm i after-shift", // 4
    'SHELL ["powershell", "-Command"]',
    "RUN pip install C:\\w\\a.whl ps-pkg", // 6
  ].join("\n");
  assert.deepEqual(installs(dockerfileExtractor.extract(more, "Dockerfile")), [
    "2 npm onbuild-pkg",
    "4 npm after-shift",
    "6 pypi C:\\w\\a.whl (path)",
    "6 pypi ps-pkg",
  ]);
  // Windows images: "# escape=`" makes the backtick the continuation character.
  const windows = ["# escape=`", "FROM mcr.microsoft.com/windows/servercore", "RUN pip install `", "    win-pkg"].join("\n");
  assert.deepEqual(installs(dockerfileExtractor.extract(windows, "Dockerfile")), ["4 pypi win-pkg"]);
});

test("CI YAML: GitHub run steps (block scalars), GitLab script lists, expressions", () => {
  const workflow = [
    "name: ci",
    "on: push",
    "jobs:",
    "  test:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "      - run: pip install pytest", // 8
    "      - name: deps",
    "        run: |",
    "          python -m pip install --upgrade pip", // 11
    "          npm ci",
    "          npx --yes prettier --check .", // 13
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
    "      - run: pip install ${{ matrix.pkg }}", // 14
    "      - shell: pwsh",
    "        run: pip install C:\\w\\a.whl", // 16
  ].join("\n");
  const gh = ciYamlExtractor.extract(workflow, ".github/workflows/ci.yml");
  assert.deepEqual(installs(gh), ["8 pypi pytest", "11 pypi pip", "13 npm prettier", "16 pypi C:\\w\\a.whl (path)"]);
  assert.deepEqual(
    gh.problems.map((p) => p.line),
    [14],
  );
  const gitlab = ["test:", "  before_script:", "    - npm install -g pnpm", "  script:", "    - pnpm add -D vitest", "    - >", "      pip install", "      black"].join("\n");
  assert.deepEqual(installs(ciYamlExtractor.extract(gitlab, ".gitlab-ci.yml")), ["3 npm pnpm", "5 npm vitest dev", "7 pypi black"]);
  const broken = ciYamlExtractor.extract("jobs: [unclosed\n  run: pip install x", ".gitlab-ci.yml");
  assert.equal(broken.dependencies.length, 0);
  assert.match(broken.problems[0]!.reason, /invalid YAML/);
});

test("Makefile: recipe lines, prefixes, continuations and simple variables", () => {
  const makefile = ["PYTHON ?= python3", "PIP := $(PYTHON) -m pip", "install:", "\t@$(PIP) install -r requirements.txt flask", "\t-npm i left-pad \\", "\t  right-pad", "\t$(UNKNOWN) install x"].join("\n");
  const result = makefileExtractor.extract(makefile, "Makefile");
  assert.deepEqual(installs(result), ["4 pypi flask", "5 npm left-pad", "6 npm right-pad"]);
});

test("notebook shell lines and junk reasons", () => {
  assert.deepEqual(
    installs(installCommandsInLines([{ text: "!pip install a", line: 7 }, { text: "%pip install -q b", line: 9 }], "n.ipynb")),
    ["7 pypi a", "9 pypi b"],
  );
  assert.equal(junkReason("1.2.3", "pypi"), "a number, not a package name");
  assert.equal(junkReason("1.11.x", "npm"), "a version, not a package name");
  assert.equal(junkReason("2915d1851351e5ee549c20394736b442", "npm"), "a number or hash, not a package name");
  assert.equal(junkReason("requirements.txt", "pypi"), "a file name, not a package name");
  assert.equal(junkReason("discord.py", "pypi"), null);
  assert.equal(junkReason("!d3", "npm"), "npm names may not contain ~'!()*");
  assert.equal(junkReason("1.lodash", "npm"), "list numbering glued to a word");
  assert.equal(junkReason("socket.io", "npm"), null);
  for (const placeholder of ["PACKAGE_NAME", "PKG", "package-name", "your-package", "your_lib", "package"]) {
    assert.equal(junkReason(placeholder, "pypi"), "a placeholder, not a package name", placeholder);
  }
  assert.equal(junkReason("PIL", "pypi"), null);
  assert.equal(junkReason("@types/node", "npm"), null);
});

test("recall: every hallucinated and fake name in an install command comes out under its own name", () => {
  const DATASETS = new URL("../../../shared/datasets/", import.meta.url);
  const rows = (file: string) =>
    readFileSync(new URL(file, DATASETS), "utf8")
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((r) => r.split("\t") as [string, string]);
  const names = [...rows("hallucinated-names.tsv"), ...rows("fake-and-typo-names.tsv")];
  assert.equal(names.length, 676 + 1068);
  const missed: string[] = [];
  for (const [ecosystem, name] of names) {
    const install = ecosystem === "npm" ? "npm install" : "pip install";
    const placements: Array<[string, string]> = [
      ["fence", `\`\`\`bash\n${install} ${name}\n\`\`\``],
      ["prose", `${install} ${name}`],
      ["inline", `Run \`${install} ${name}\`.`],
    ];
    for (const [label, text] of placements) {
      const deps = markdownExtractor.extract(text, "x.md").dependencies;
      if (!deps.some((d) => d.name === name && d.ecosystem === ecosystem && d.kind === "install-command")) missed.push(`${label} ${name}`);
    }
  }
  // English words the dataset took from prose end a command written in a sentence; "3-5" is a range.
  assert.deepEqual(missed.sort(), ["fence 3-5", "inline 3-5", "prose 3-5", "prose might", "prose while", "prose would"]);
});

test("which files each extractor takes", () => {
  const taking = (path: string) => [...textExtractors, transcriptExtractor].filter((e) => e.matches(path)).map((e) => e.id);
  assert.deepEqual(taking("README.md"), ["markdown"]);
  assert.deepEqual(taking("docs/AGENTS.md"), ["markdown"]);
  assert.deepEqual(taking("CLAUDE.md"), ["markdown"]);
  assert.deepEqual(taking(".github/copilot-instructions.md"), ["markdown"]);
  assert.deepEqual(taking(".cursorrules"), ["markdown"]);
  assert.deepEqual(taking("page.mdx"), ["markdown"]);
  assert.deepEqual(taking("scripts/setup.sh"), ["shell-script"]);
  assert.deepEqual(taking("x.zsh"), ["shell-script"]);
  assert.deepEqual(taking("Dockerfile"), ["dockerfile"]);
  assert.deepEqual(taking("docker/Dockerfile.dev"), ["dockerfile"]);
  assert.deepEqual(taking("api.dockerfile"), ["dockerfile"]);
  // Workflows and action metadata are the github ecosystem's: one reader each.
  for (const workflow of [".github/workflows/ci.yml", "a\\.github\\workflows\\ci.yaml", "action.yml", "sub/action.yaml"]) {
    assert.deepEqual(taking(workflow), [], workflow);
    assert.ok(workflowExtractor.matches(workflow), workflow);
  }
  assert.deepEqual(taking(".gitlab-ci.yml"), ["ci-yaml"]);
  assert.deepEqual(taking("Makefile"), ["makefile"]);
  assert.deepEqual(taking("rules.mk"), ["makefile"]);
  assert.deepEqual(taking("chat.txt"), ["text"]);
  assert.deepEqual(taking("requirements.txt"), []);
  assert.deepEqual(taking("requirements-dev.txt"), []);
  assert.deepEqual(taking("config.yml"), []);
  assert.deepEqual(taking("index.ts"), []);
});

test("fuzz: random text and bytes into every extractor: no throw, bounded time", () => {
  const rand = random(7);
  const pieces = [
    "```", "```bash\n", "```python\n", "```js\n", "~~~", "`", "pip install ", "npm i ", "npx ", "RUN ", "run: ", "- ",
    "\t", "\n", " ", "\\\n", "<<EOF\n", "EOF\n", "$ ", "> ", "|", "'", '"', "$(", "${{", "}}", "[", "]", "{", ":",
    "#", "!pip ", "import ", "from ", "require(", "-r ", "--", "=", "@", "/", ".", "a", "b1", "\u0000", "\uFEFF", "🙂",
    "constructor ", "__proto__ ", "FROM x\n", "ONBUILD ", "SHELL ", "script: ", "\t$(X) ", "X := ", "&&", "poetry add ",
  ];
  const extractors = [...textExtractors, transcriptExtractor];
  const paths = ["a.md", "a.sh", "Dockerfile", ".gitlab-ci.yml", "Makefile", "chat.txt"];
  const started = performance.now();
  for (let round = 0; round < 250; round++) {
    let text = "";
    const length = Math.floor(rand() * 60);
    for (let k = 0; k < length; k++) text += rand() < 0.15 ? String.fromCharCode(Math.floor(rand() * 0x10000)) : pick(rand, pieces);
    for (let e = 0; e < extractors.length; e++) {
      const result = extractors[e]!.extract(text, paths[e]!);
      // The extractors catch what they throw; a caught error here is a bug, not bad input.
      assert.ok(!result.problems.some((p) => p.reason.startsWith("could not read the text")), JSON.stringify({ text, problems: result.problems }));
      for (const d of result.dependencies as ExtractedDependency[]) {
        assert.ok(Number.isInteger(d.location.line) && d.location.line! >= 1, JSON.stringify(d));
        assert.ok(d.name.length > 0);
      }
    }
    assert.ok(!extractFromText(text).problems.some((p) => p.reason.startsWith("could not read the text")), text);
  }
  // Large inputs stay linear.
  extractFromText("Some prose: pip install foo and more\n```bash\npip install bar\n```\n".repeat(5000));
  dockerfileExtractor.extract("RUN a \\\n".repeat(50_000), "Dockerfile");
  assert.ok(performance.now() - started < BLOWUP_MS, `took ${Math.round(performance.now() - started)} ms`);
});

test("compound shell lines in prose: a leading shell command (cd, export, source, a subshell, bash -c) before the install", () => {
  const lines = [
    "cd app && pip install cmp-a", // 1
    "export X=1; npm i cmp-b", // 2
    "(cd web; pnpm add cmp-c)", // 3
    "source .venv/bin/activate && uv add cmp-d", // 4
    'bash -c "pip install cmp-e"', // 5
    "{ cd web; yarn add cmp-f; }", // 6
    "Then run: cd api && npm install cmp-g and restart the server.", // 7
    "- . venv/bin/activate || true; pip3 install cmp-h", // 8
    "cd into the folder and pip install stuff", // 9: one command, and it is cd
    "Source the env and pip install nothing", // 10: English, not a shell line
    "export the data; then you can pip install nope", // 11: the second command is English
  ];
  const expected = ["1 pypi cmp-a", "2 npm cmp-b", "3 npm cmp-c", "4 pypi cmp-d", "5 pypi cmp-e", "6 npm cmp-f", "7 npm cmp-g", "8 pypi cmp-h"];
  const text = lines.join("\n");
  assert.deepEqual(installs(extractFromText(text, "<stdin>")), expected);
  assert.deepEqual(installs(markdownExtractor.extract(text, "NOTES.md")), expected);
  assert.deepEqual(installs(transcriptExtractor.extract(text, "chat.txt")), expected);
  // Each form alone, as `bouncer scan -` reads a one-line stdin.
  lines.slice(0, 6).forEach((line, k) => {
    assert.deepEqual(installs(extractFromText(line)), [expected[k]!.replace(/^\d+/, "1")], line);
  });
});

test("Markdown is split once: its YAML fences go to the scan's fence reader, after the text's own findings", () => {
  const md = ["# Setup", "```bash", "pip install requests", "```", "", "```yaml", "steps:", "  - uses: actions/checkout@v4", "```", "```yml", "a: 1", "```"].join("\n");
  const seen: Array<[string, number, string]> = [];
  const yamlFence = (code: string, firstLine: number, file: string): ExtractedDependency[] => {
    seen.push([code, firstLine, file]);
    return [{ ecosystem: "github", name: "actions/checkout", version: "v4", source: "registry", kind: "manifest", location: { file, line: firstLine + 1 } }];
  };
  for (const read of [() => markdownExtractor.extract(md, "a.md", { yamlFence }), () => extractFromText(md, "a.md", { yamlFence })]) {
    seen.length = 0;
    const result = read();
    assert.deepEqual(seen, [["steps:\n  - uses: actions/checkout@v4", 7, "a.md"], ["a: 1", 11, "a.md"]]);
    assert.deepEqual(result.dependencies.map((d) => [d.name, d.location.line]), [["requests", 3], ["actions/checkout", 8], ["actions/checkout", 12]]);
  }
  // Without a fence reader (a caller other than the scan), only the text's own findings.
  assert.deepEqual(markdownExtractor.extract(md, "a.md").dependencies.map((d) => d.name), ["requests"]);
});

test("dev containers: the installs of initializeCommand (run on the host) and the lifecycle commands, as strings, argv arrays and objects of them", () => {
  const text = `{
  // JSONC, as VS Code writes it
  "initializeCommand": "npm install -g expresss",
  "postCreateCommand": ["pip", "install", "reqeusts"],
  "postStartCommand": { "a": "pip install requests==2.32.3", "b": ["npm", "ci"] },
  "customizations": { "vscode": { "extensions": ["ms-python.python"] } },
}`;
  assert.ok(devcontainerExtractor.matches(".devcontainer/devcontainer.json"));
  assert.ok(devcontainerExtractor.matches("repo/.devcontainer/python/devcontainer.json"));
  assert.ok(devcontainerExtractor.matches(".devcontainer.json"));
  assert.ok(!devcontainerExtractor.matches("devcontainer.json"));
  const found = devcontainerExtractor.extract(text, ".devcontainer/devcontainer.json");
  assert.deepEqual(
    found.dependencies.map((d) => `${d.ecosystem}:${d.name}@${d.version ?? ""}:${d.location.line}`),
    ["npm:expresss@:3", "pypi:reqeusts@:4", "pypi:requests@2.32.3:5"],
  );
  assert.deepEqual(devcontainerExtractor.extract("{ not json", "x/.devcontainer.json").problems.length, 1);
});
