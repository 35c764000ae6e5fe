// The negative corpus: strings that extraction heuristics took from model output as package names
// but that are not package names. Placed where a package name would stand, none may come out as a
// registry dependency under its own name.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { isValidNpmName } from "../../src/ecosystems/npm/spec.ts";
import { isValidPypiName } from "../../src/ecosystems/pypi/names.ts";
import {
  ciYamlExtractor,
  dockerfileExtractor,
  extractFromText,
  makefileExtractor,
  markdownExtractor,
  shellScriptExtractor,
} from "../../src/extract/text.ts";
import type { ExtractResult } from "../../src/core/dependency.ts";

const DATASETS = new URL("../../../shared/datasets/", import.meta.url);

function strings(language: "python" | "javascript"): string[] {
  const rows = readFileSync(new URL(`non-package-strings-${language}.tsv`, DATASETS), "utf8").split("\n");
  assert.equal(rows[0]!.split("\t")[0], "extracted_string");
  return rows
    .slice(1)
    .filter((r) => r.length > 0)
    .map((r) => r.split("\t")[0]!);
}

/**
 * Justified exceptions. Each of these strings is itself a well-formed registry name that starts
 * with a digit; put after `pip install` / `npm install` it is exactly what the command would fetch,
 * so Bouncer must report it and let the registry lookup judge it (a hallucinated name is the very
 * thing to catch). They come out only in install-command positions, never from prose or code.
 */
const VALID_NAMES_IN_INSTALL_POSITION: Record<string, string[]> = {
  // from the Python list, after `pip install`
  pypi: [
    "10csv", "10l", "12csv", "14csv", "1jmes", "1password-connect-sdk", "2captcha", "2csv", "2d-tree", "3csv",
    "3dmol-js", "3ds", "50l", "7z-archiver", "80however", "8csv", "9csv",
  ],
  // from the JavaScript list, after `npm install`
  npm: [
    "200ok", "2d-array-", "2d-array-from-1d-array", "2d-array-from-1d-array-2", "2d-array-from-array",
    "2d-array-in-javascript", "2d-array-init-with-value-and-size-", "2d-array-js", "2d-array-manipulation",
    "2d-array-matrix-class", "2d-array-matrix-class-javascript", "2d-array-matrix-class-js", "2d-array-utils-js",
    "2d-delunay", "2d-grid", "2d-sp", "2d-spiral", "2darray", "2dcontext", "3d-perspective-projection",
    "3d-perspective-transform", "3d-projection", "3d-projection-matrix", "3d-projection-to-2d", "3d-reconstruction-js",
    "3d-transform",
  ],
};

const INSTALLERS = { pypi: "pip install", npm: "npm install" } as const;

/** The contexts a string is tried in: [label, extract]. `install` is "pip install" or "npm install". */
function contexts(s: string, install: string): Array<[string, () => ExtractResult]> {
  const md = (text: string) => () => markdownExtractor.extract(text, "README.md");
  return [
    ["fenced bash", md(`# Setup\n\n\`\`\`bash\n${install} ${s}\n\`\`\`\n`)],
    ["fenced console", md(`\`\`\`console\n$ ${install} ${s}\n\`\`\`\n`)],
    ["untagged fence", md(`\`\`\`\n${install} -U ${s}\n\`\`\`\n`)],
    ["prose line", md(`${install} ${s}\n`)],
    ["prose after colon", md(`To get it, run: ${install} ${s}\n`)],
    ["list item", md(`- ${install} ${s}\n`)],
    ["inline code", md(`Run \`${install} ${s}\` first.\n`)],
    ["sentence", md(`You can use ${s} for this, or ${s}.\n`)],
    ["bare fence", md(`\`\`\`\n${s}\n\`\`\`\n`)],
    ["python fence", md(`\`\`\`python\n${s}\n\`\`\`\n`)],
    ["chat text", () => extractFromText(`${install} ${s}\nThen use ${s}.`)],
    ["shell script", () => shellScriptExtractor.extract(`#!/bin/sh\n${install} ${s}\n`, "setup.sh")],
    ["Dockerfile", () => dockerfileExtractor.extract(`FROM node\nRUN ${install} ${s}\n`, "Dockerfile")],
    ["Makefile", () => makefileExtractor.extract(`all:\n\t${install} ${s}\n`, "Makefile")],
    ["CI YAML", () => ciYamlExtractor.extract(`steps:\n  - run: ${JSON.stringify(`${install} ${s}`)}\n`, ".github/workflows/ci.yml")],
  ];
}

test("no non-package string comes out as a registry dependency of its own name", () => {
  // Each list is the negative corpus of its own ecosystem (the Python list holds real npm names).
  const corpus = { pypi: strings("python"), npm: strings("javascript") };
  assert.equal(corpus.pypi.length, 1904);
  assert.equal(corpus.npm.length, 2779);
  const leaks: Record<string, Set<string>> = { pypi: new Set(), npm: new Set() };
  const unexpected: string[] = [];
  for (const [ecosystem, install] of Object.entries(INSTALLERS)) {
    for (const s of corpus[ecosystem as keyof typeof corpus]) {
      for (const [label, run] of contexts(s, install)) {
        const result = run();
        for (const d of result.dependencies) {
          if (d.source !== "registry" || d.name !== s) continue;
          const installPosition = d.kind === "install-command" && d.ecosystem === ecosystem && !["sentence", "bare fence", "python fence"].includes(label);
          if (installPosition) leaks[ecosystem]!.add(s);
          else unexpected.push(`${label} / ${install}: ${JSON.stringify(s)} as ${d.kind} ${d.ecosystem}`);
        }
      }
    }
  }
  // Nothing but the listed exceptions, and those only where an installer would take them.
  assert.deepEqual(unexpected, []);
  for (const ecosystem of ["pypi", "npm"]) {
    assert.deepEqual([...leaks[ecosystem]!].sort(), [...VALID_NAMES_IN_INSTALL_POSITION[ecosystem]!].sort(), ecosystem);
  }
  // The exceptions are what their reason says: well-formed names of that registry.
  for (const s of VALID_NAMES_IN_INSTALL_POSITION.pypi!) assert.ok(isValidPypiName(s), s);
  for (const s of VALID_NAMES_IN_INSTALL_POSITION.npm!) assert.ok(isValidNpmName(s) && /^[a-z0-9-._]+$/.test(s), s);
  const total = corpus.pypi.length + corpus.npm.length;
  const leaked = leaks.pypi!.size + leaks.npm!.size;
  assert.ok(leaked / total < 0.01, `${leaked} of ${total} string placements`);
});

test("a string holding a real name plus junk gives at most the real name", () => {
  const md = ["```bash", "!pip install requests", '"""pip install """aiohttp"""', "npm install --save-dev, jest", "```"].join("\n");
  const names = markdownExtractor.extract(md, "a.md").dependencies.map((d) => d.name);
  assert.ok(!names.some((n) => /[!"]|^--|,$/.test(n)), names.join(" "));
  assert.ok(names.includes("requests"));
});
