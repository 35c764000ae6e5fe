import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  cycloneDxExtractor,
  extractCycloneDx,
  extractSbomByContent,
  extractSpdx,
  sniffSbom,
  spdxExtractor,
} from "../../src/extract/sbom.ts";
import type { ExtractResult } from "../../src/core/dependency.ts";

const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url).pathname;

/** Component counts per unsupported purl type, and components without a purl, read from problems. */
function counted(result: ExtractResult): { unsupported: Record<string, number>; noPurl: number } {
  const unsupported: Record<string, number> = {};
  let noPurl = 0;
  for (const p of result.problems) {
    const m = /^unsupported ecosystem "([^"]+)": (\d+) components? not evaluated/.exec(p.reason);
    if (m) unsupported[m[1]!] = Number(m[2]);
    const n = /^(\d+) components? without a purl not evaluated/.exec(p.reason);
    if (n) noPurl += Number(n[1]);
  }
  return { unsupported, noPurl };
}

describe("CycloneDX", () => {
  it("emits npm and PyPI components from purls, recursively, at their lines", () => {
    const bom = JSON.stringify(
      {
        bomFormat: "CycloneDX",
        specVersion: "1.5",
        metadata: { component: { name: "me", purl: "pkg:npm/me@1.0.0" } },
        components: [
          { type: "library", name: "promisify", group: "@gar", version: "1.1.3", purl: "pkg:npm/%40gar/promisify@1.1.3" },
          {
            type: "library",
            name: "requests",
            version: "2.31.0",
            purl: "pkg:pypi/requests@2.31.0",
            scope: "optional",
            components: [{ name: "left-pad", version: "1.3.0", purl: "pkg:npm/left-pad" }],
          },
          { name: "scopeless", purl: "pkg:npm/types/node@20.1.0" },
          { name: "jar", purl: "pkg:maven/org.x/y@1" },
          { name: "jar2", purl: "pkg:maven/org.x/z@2" },
          { name: "no-purl", version: "1" },
          { name: "broken", purl: "npm/left-pad" },
        ],
      },
      null,
      2,
    );
    const lines = bom.split("\n");
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const result = cycloneDxExtractor.extract(bom, "bom.json");
    assert.deepEqual(
      result.dependencies.map((d) => [d.ecosystem, d.name, d.version, d.location.line, d.group ?? null]),
      [
        ["npm", "@gar/promisify", "1.1.3", lineOf("pkg:npm/%40gar"), null],
        ["pypi", "requests", "2.31.0", lineOf("pkg:pypi/requests"), "optional"],
        ["npm", "left-pad", "1.3.0", lineOf('"pkg:npm/left-pad"'), null],
        ["npm", "@types/node", "20.1.0", lineOf("pkg:npm/types/node"), null],
      ],
    );
    assert.deepEqual(result.dependencies[0], {
      ecosystem: "npm",
      name: "@gar/promisify",
      version: "1.1.3",
      source: "registry",
      kind: "sbom",
      location: { file: "bom.json", line: lineOf("pkg:npm/%40gar") },
      spec: "pkg:npm/%40gar/promisify@1.1.3",
    });
    assert.deepEqual(
      result.problems.map((p) => [p.reason, p.line]),
      [
        ['unsupported ecosystem "maven": 2 components not evaluated (org.x/y@1, org.x/z@2)', lineOf("pkg:maven/org.x/y")],
        ["1 component without a purl not evaluated (no-purl@1)", lineOf('"no-purl"')],
        ["1 invalid purl not evaluated (npm/left-pad)", lineOf('"npm/left-pad"')],
      ],
    );
  });

  it("turns invalid JSON and other documents into problems", () => {
    assert.deepEqual(extractCycloneDx("{oops", "bom.json"), {
      dependencies: [],
      problems: [{ file: "bom.json", reason: 'invalid JSON: expected a string key (line 1)', line: 1 }],
    });
    assert.match(extractCycloneDx('{"spdxVersion":"SPDX-2.3"}', "bom.json").problems[0]!.reason, /not a CycloneDX document/);
    assert.match(extractCycloneDx("[".repeat(100_000), "bom.json").problems[0]!.reason, /nesting too deep/);
  });
});

describe("SPDX", () => {
  it("reads 2.x packages with purl external refs", () => {
    const doc = JSON.stringify(
      {
        spdxVersion: "SPDX-2.3",
        packages: [
          {
            SPDXID: "SPDXRef-a",
            name: "express",
            versionInfo: "4.18.2",
            externalRefs: [
              { referenceCategory: "SECURITY", referenceType: "cpe23Type", referenceLocator: "cpe:2.3:a:x" },
              { referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: "pkg:npm/express@4.18.2" },
            ],
          },
          {
            SPDXID: "SPDXRef-b",
            name: "Django",
            versionInfo: "5.0",
            externalRefs: [{ referenceCategory: "PACKAGE_MANAGER", referenceType: "purl", referenceLocator: "pkg:pypi/django" }],
          },
        ],
      },
      null,
      2,
    );
    const lines = doc.split("\n");
    const result = spdxExtractor.extract(doc, "x.spdx.json");
    assert.deepEqual(
      result.dependencies.map((d) => [d.ecosystem, d.name, d.version, d.location.line]),
      [
        ["npm", "express", "4.18.2", lines.findIndex((l) => l.includes("pkg:npm/express")) + 1],
        ["pypi", "django", "5.0", lines.findIndex((l) => l.includes("pkg:pypi/django")) + 1],
      ],
    );
    assert.deepEqual(result.problems, []);
  });

  it("reads SPDX 3.0 JSON-LD packages", () => {
    const doc = JSON.stringify({
      "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
      "@graph": [
        { type: "software_Package", name: "vite", software_packageVersion: "5.0.0", software_packageUrl: "pkg:npm/vite@5.0.0" },
        { type: "software_File", name: "x.js" },
        { type: "software_Package", name: "openssl" },
      ],
    });
    assert.equal(sniffSbom(doc), "spdx");
    const result = extractSpdx(doc, "x.spdx.json");
    assert.deepEqual(
      result.dependencies.map((d) => `${d.name}@${d.version}`),
      ["vite@5.0.0"],
    );
    assert.deepEqual(counted(result), { unsupported: {}, noPurl: 1 });
  });
});

describe("SBOM detection", () => {
  it("matches file names and sniffs content", () => {
    for (const path of ["bom.json", "out/app.cdx.json", "x.bom.json"]) assert.equal(cycloneDxExtractor.matches(path), true, path);
    for (const path of ["a.spdx.json", "dhi/.spdx.python.json"]) assert.equal(spdxExtractor.matches(path), true, path);
    for (const path of ["package.json", "bom.xml", "spdx.json.bak"]) {
      assert.equal(cycloneDxExtractor.matches(path) || spdxExtractor.matches(path), false, path);
    }
    assert.equal(sniffSbom('{ "bomFormat" : "CycloneDX" }'), "cyclonedx");
    assert.equal(sniffSbom('{"name":"pkg"}'), null);
    assert.equal(extractSbomByContent('{"name":"pkg"}', "package.json"), null);
    assert.equal(
      extractSbomByContent('{"bomFormat":"CycloneDX","components":[{"purl":"pkg:pypi/flask@3.0.0"}]}', "any.json")?.dependencies[0]?.name,
      "flask",
    );
  });
});

// Conformance with osv-scalibr's expectations. Its packages with a purl type we do not evaluate
// must be counted in "unsupported ecosystem" problems, type by type. Deliberate difference: scalibr
// folds SPDX packages without a purl into a DESCENDANT_OF/ANCESTOR_OF relative, while we list every
// package without a purl as not evaluated; so we count at least as many as it reports.
const PURL_TYPES: Record<string, string> = { TypeNPM: "npm", TypePyPI: "pypi" };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

for (const [format, extract] of [
  ["cyclonedx-json", extractCycloneDx],
  ["spdx-json", extractSpdx],
] as const) {
  describe(`conformance: osv-scalibr ${format}`, () => {
    const root = join(FIXTURES, format, "osv-scalibr");
    for (const path of walk(root).filter((p) => p.endsWith(".expected.json"))) {
      const input = path.slice(0, -".expected.json".length);
      it(input.slice(root.length + 1), () => {
        const expected = JSON.parse(readFileSync(path, "utf8")) as {
          cases: Array<{ wantErr: boolean; packages: Array<{ name: string; version: string | null; purlType?: string }> | null }>;
        };
        const result = extract(readFileSync(input, "utf8"), input);
        for (const c of expected.cases) {
          if (c.wantErr) {
            assert.deepEqual(result.dependencies, []);
            assert.equal(result.problems.length, 1);
            assert.match(result.problems[0]!.reason, /^invalid JSON/);
            continue;
          }
          const packages = c.packages ?? [];
          const supported = packages.filter((p) => p.purlType && PURL_TYPES[p.purlType]);
          assert.deepEqual(
            result.dependencies.map((d) => [d.ecosystem, d.name, d.version]).sort(),
            supported.map((p) => [PURL_TYPES[p.purlType!], p.name, p.version]).sort(),
          );
          const unsupported: Record<string, number> = {};
          for (const p of packages) {
            if (!p.purlType || PURL_TYPES[p.purlType]) continue;
            const type = p.purlType.replace(/^Type/, "").toLowerCase();
            unsupported[type] = (unsupported[type] ?? 0) + 1;
          }
          const ours = counted(result);
          assert.deepEqual(ours.unsupported, unsupported);
          assert.ok(ours.noPurl >= packages.filter((p) => !p.purlType).length);
          assert.equal(result.problems.length, Object.keys(unsupported).length + (ours.noPurl > 0 ? 1 : 0));
        }
      });
    }
    it("files without expectations: random text is a problem, sbom.bom.json reads like sbom.cdx.json", () => {
      assert.match(extract(readFileSync(join(root, "random_file.ext"), "utf8"), "random_file.ext").problems[0]!.reason, /^invalid JSON/);
      if (format === "cyclonedx-json") {
        const a = extractCycloneDx(readFileSync(join(root, "sbom.bom.json"), "utf8"), "f");
        const b = extractCycloneDx(readFileSync(join(root, "sbom.cdx.json"), "utf8"), "f");
        assert.deepEqual(a, b);
        assert.deepEqual(counted(a), { unsupported: { generic: 1 }, noPurl: 1 });
      }
    });
  });
}
