// Conformance: our extractors against the package lists other tools' own tests expect
// (shared/fixtures, see its README for each source's conventions).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import semver from "semver";
import { parseBunLock } from "../../../../src/ecosystems/npm/manifests/bun-lock.ts";
import { type ReachOptions, reachable } from "../../../../src/ecosystems/npm/manifests/common.ts";
import { localPackageName, packageJsonExtractor } from "../../../../src/ecosystems/npm/manifests/package-json.ts";
import { type LockParse, parsePackageLock } from "../../../../src/ecosystems/npm/manifests/package-lock.ts";
import { parsePnpmLock } from "../../../../src/ecosystems/npm/manifests/pnpm-lock.ts";
import { parseYarnLock } from "../../../../src/ecosystems/npm/manifests/yarn-lock.ts";
import type { ExtractContext, ExtractedDependency } from "../../../../src/core/dependency.ts";
import {
  type ExpectedCase,
  expectedFiles,
  expectedKey,
  type Format,
  ourKey,
  rel,
  siblingReader,
  sorted,
} from "./fixtures.ts";

type LockFormat = Exclude<Format, "npm-package-json">;
const PARSERS: Record<LockFormat, (text: string, file: string, context?: ExtractContext) => LockParse> = {
  "npm-package-lock": parsePackageLock,
  "yarn-lock-v1": parseYarnLock,
  "yarn-lock-berry": parseYarnLock,
  "pnpm-lock": parsePnpmLock,
  "bun-lock": (text, file) => parseBunLock(text, file),
};

interface Deviation {
  /** Packages the other tool lists that we do not. */
  missing?: string[];
  /** Packages we list that the other tool does not. */
  extra?: string[];
  /** Problems we report where the other tool reports no error. */
  problems?: number;
  reason: string;
}

const UNLISTED = "an importer's dependency that the packages section lacks is still installed: we report it, scalibr does not";

// Deliberate differences from osv-scalibr (every lockfile entry). Key: "<fixture> :: <case>".
const SCALIBR_DEVIATIONS: Record<string, Deviation> = {
  "npm-package-lock/osv-scalibr/both/package-lock.json :: valid package-lock.json and npm-shrinkwrap.json and extract package-lock.json":
    {
      extra: ["supports-color@5.5.0", "wrappy@1.0.2"],
      reason: "scalibr's file walker skips a package-lock.json when npm-shrinkwrap.json sits beside it; the file alone locks these",
    },
  "pnpm-lock/osv-scalibr/exotic.yaml :: exotic": {
    problems: 2,
    extra: ["@typescript-eslint/types@5.13.0"],
    reason: `keys \`github.com/kevva/is-positive\` and \`/foo/bar\` name no version: scalibr drops them silently, we say so; ${UNLISTED}`,
  },
  "pnpm-lock/osv-scalibr/invalid-path.yaml :: invalid dep path": { extra: ["test@1.2.3"], problems: 1, reason: UNLISTED },
  "pnpm-lock/osv-scalibr/invalid-paths.yaml :: invalid dep paths (first error)": { extra: ["test@1.2.3"], problems: 2, reason: UNLISTED },
  "pnpm-lock/osv-scalibr/invalid-paths.yaml :: invalid dep paths (second error)": { extra: ["test@1.2.3"], problems: 2, reason: UNLISTED },
  "pnpm-lock/osv-scalibr/multiple-versions.v9.yaml :: multiple versions": { extra: ["aws-sdk@2.1602.0"], reason: UNLISTED },
  "pnpm-lock/osv-scalibr/multiple-versions.yaml :: multiple versions": { extra: ["aws-sdk@2.1087.0"], reason: UNLISTED },
  "pnpm-lock/osv-scalibr/peer-dependencies-advanced.yaml :: peer dependencies advanced": { extra: ["typescript@4.6.2"], reason: UNLISTED },
  "pnpm-lock/osv-scalibr/files.yaml :: files": {
    problems: 1,
    reason: "`file:../nameless-package` has no name: scalibr drops it silently, we say so",
  },
};

// Dev flags where scalibr's differ on purpose. Key as above; value: keys we do not mark dev.
const SCALIBR_DEV_DEVIATIONS: Record<string, { notDev: string[]; reason: string }> = {
  "npm-package-lock/osv-scalibr/optional-package.v2.json :: optional package": {
    notDev: ["supports-color@5.5.0"],
    reason: "`devOptional` means also an optional dependency of a production package: it can be installed in production",
  },
};

// Deliberate differences from snyk's dep graphs (packages reachable from package.json).
const SNYK_MERGE = "snyk keys its graph by name@version and resolves a copy's children only at the first path it visits; we follow node_modules at every path";
const SNYK_PLACEHOLDER = "snyk adds placeholder nodes for dependencies missing from the lockfile (out of sync); we report locked packages only";
const SNYK_DEVIATIONS: Record<string, Deviation> = {
  "npm-package-lock/snyk/npm-lock-v2/deep-override/package-lock.json :: expected.json": {
    extra: [
      "call-bind@1.0.5",
      "define-data-property@1.1.1",
      "function-bind@1.1.2",
      "get-intrinsic@1.2.2",
      "gopd@1.0.1",
      "has-property-descriptors@1.0.1",
      "has-proto@1.0.1",
      "has-symbols@1.0.3",
      "hasown@2.0.0",
      "object-inspect@1.13.1",
      "qs@6.11.2",
      "safe-buffer@5.2.1",
      "set-function-length@1.1.1",
      "side-channel@1.0.4",
      "string_decoder@1.3.0",
    ],
    reason: SNYK_MERGE,
  },
  "npm-package-lock/snyk/npm-lock-v2/deeply-nested-packages/package-lock.json :: expected.json": {
    extra: ["ansi-regex@4.1.0", "p-limit@2.3.0"],
    reason: SNYK_MERGE,
  },
  "npm-package-lock/snyk/npm-lock-v2/deeply-scoped/package-lock.json :: expected.json": {
    extra: ["mini-css-extract-plugin@2.7.5"],
    reason: SNYK_MERGE,
  },
  "npm-package-lock/snyk/npm-lock-v2/dist-tag-sub-dependency/package-lock.json :: expected.json": {
    extra: ["set-function-length@1.2.0"],
    reason: SNYK_MERGE,
  },
  "npm-package-lock/snyk/npm-lock-v2/goof/package-lock.json :: expected.json": {
    extra: ["ansi-regex@2.0.0", "argparse@1.0.7"],
    reason: SNYK_MERGE,
  },
  "npm-package-lock/snyk/npm-lock-v2/simple-dotted-override/package-lock.json :: expected.json": {
    extra: ["safe-buffer@5.2.1", "string_decoder@1.3.0"],
    reason: SNYK_MERGE,
  },
  "npm-package-lock/snyk/npm-lock-v2/simple-override/package-lock.json :: expected.json": {
    extra: ["safe-buffer@5.2.1", "string_decoder@1.3.0"],
    reason: SNYK_MERGE,
  },
  "npm-package-lock/snyk/npm-lock-v2/npm-scoped-sub-dep/package-lock.json :: expected.json": {
    missing: ["string-width-cjs@4.2.3", "strip-ansi-cjs@6.0.1", "wrap-ansi-cjs@7.0.0"],
    extra: ["spdx-license-ids@3.0.16", "wrap-ansi@7.0.0"],
    reason: `snyk names aliases by the alias (string-width-cjs), we by the real package (string-width); and: ${SNYK_MERGE}`,
  },
  "npm-package-lock/snyk/npm-lock-v2/transitive-resolves-to-alias/package-lock.json :: expected.json": {
    missing: ["@scoped/shared-dep@", "shared-dep@"],
    extra: ["@scoped/shared-dep@1.0.0"],
    reason: "`node_modules/shared-dep` only points (`resolved`) at `node_modules/@scoped/shared-dep`: we follow it to the locked 1.0.0, snyk reports two unversioned nodes",
  },
  "npm-package-lock/snyk/npm-lock-v2/missing-optional-dep-minimal/package-lock.json :: expected.json": {
    missing: ["@parcel/watcher-darwin-arm64@2.5.1", "@parcel/watcher-darwin-x64@2.5.1", "@parcel/watcher-linux-x64-glibc@2.5.1"],
    reason: SNYK_PLACEHOLDER,
  },
  "yarn-lock-v1/snyk/yarn-lock-v1/real/simple-out-of-sync/missing-top-level-deps/yarn.lock :: expected.json": {
    missing: ["body-parser@^1.18.2", "lodash@4.17.11"],
    reason: SNYK_PLACEHOLDER,
  },
  "yarn-lock-v1/snyk/yarn-lock-v1/real/out-of-sync-workspaces/top-level-out-of-sync/yarn.lock :: expected.json": {
    missing: ["body-parser@^1.18.2", "debug@2.0.0", "lodash@4.17.11", "ms@0.6.2"],
    reason: "snyk's graph is rooted at the workspace member packages/pkg-a (a yarn v1 lockfile does not list members, and we get no directory listing); plus placeholders",
  },
  "yarn-lock-berry/snyk/yarn-lock-v2/real/out-of-sync-resolutions/yarn.lock :: expected.json": {
    missing: ["ms@1.0.0"],
    reason: SNYK_PLACEHOLDER,
  },
  "yarn-lock-berry/snyk/yarn-lock-v3/real/out-of-sync-resolutions/yarn.lock :: expected.json": {
    missing: ["ms@1.0.0"],
    reason: SNYK_PLACEHOLDER,
  },
  "yarn-lock-berry/snyk/yarn-lock-v4/real/out-of-sync-resolutions/yarn.lock :: expected.json": {
    missing: ["ms@1.0.0"],
    reason: SNYK_PLACEHOLDER,
  },
};

// How snyk's tests build their graphs, per lockfile family.
const SNYK_OPTIONS: Record<LockFormat, ReachOptions> = {
  "npm-package-lock": { peer: true },
  "yarn-lock-v1": { peer: true },
  "yarn-lock-berry": { peer: true },
  // pnpm's builder skips packages' optionalDependencies (platform binaries).
  "pnpm-lock": { peer: true, transitiveOptional: false },
  "bun-lock": { peer: true },
};

const used = new Set<string>();

function applyDeviation(label: string, table: Record<string, Deviation>, want: string[]): { want: string[]; problems: number } {
  const d = table[label];
  if (!d) return { want, problems: 0 };
  used.add(label);
  const missing = new Set(d.missing ?? []);
  for (const m of missing) assert.ok(want.includes(m), `${label}: documented missing ${m} is not expected any more`);
  return { want: sorted([...want.filter((k) => !missing.has(k)), ...(d.extra ?? [])]), problems: d.problems ?? 0 };
}

function caseLabel(fixture: string, c: ExpectedCase): string {
  return `${rel(fixture)} :: ${c.test ?? c.variant ?? "expected.json"}`;
}

/** Keys that every record of the same package marks dev (scalibr merges copies of one package). */
function devOnlyKeys(deps: ExtractedDependency[]): string[] {
  const byKey = new Map<string, boolean>();
  for (const d of deps) byKey.set(ourKey(d), (byKey.get(ourKey(d)) ?? true) && d.dev === true);
  return sorted([...byKey].filter(([, dev]) => dev).map(([k]) => k));
}

function checkScalibr(format: LockFormat, fixture: string, text: string, cases: ExpectedCase[]): number {
  const parsed = PARSERS[format](text, fixture, siblingReader(fixture));
  for (const c of cases) {
    const label = caseLabel(fixture, c);
    const { want, problems } = applyDeviation(label, SCALIBR_DEVIATIONS, sorted((c.packages ?? []).map(expectedKey)));
    assert.deepEqual(sorted(parsed.dependencies.map(ourKey)), want, label);
    if (c.wantErr) assert.ok(parsed.problems.length > 0, `${label}: a problem is expected`);
    else assert.equal(parsed.problems.length, problems, `${label}: ${JSON.stringify(parsed.problems)}`);
    for (const d of parsed.dependencies) assert.ok((d.location.line ?? 0) >= 1, `${label}: ${d.name} has no line`);
    // Dev groups, where the lockfile itself records them (npm; pnpm before v9).
    const recordsDev = format === "npm-package-lock" || (format === "pnpm-lock" && !/lockfileVersion: '9/.test(text));
    if (recordsDev && (c.packages ?? []).some((p) => p.depGroups)) {
      const dev = SCALIBR_DEV_DEVIATIONS[label];
      if (dev) used.add(label);
      const wantDev = (c.packages ?? [])
        .filter((p) => p.depGroups?.includes("dev"))
        .map(expectedKey)
        .filter((k) => !dev?.notDev.includes(k));
      assert.deepEqual(devOnlyKeys(parsed.dependencies), sorted(wantDev), `${label}: dev`);
    }
  }
  return cases.length;
}

function checkSnyk(format: LockFormat, fixture: string, text: string, cases: ExpectedCase[]): number {
  for (const c of cases) {
    const label = caseLabel(fixture, c);
    const variant = c.variant ?? "expected.json";
    const importer = variant.includes("/") ? variant.slice(0, variant.lastIndexOf("/")) : "";
    const context = siblingReader(fixture);
    // "workspace projects undefined": snyk ran without the members' package.json files.
    const parsed = PARSERS[format](text, fixture, variant.includes("projects-undefined") ? undefined : context);
    const manifestText = context.readFile?.(importer ? `${importer}/package.json` : "package.json");
    const manifest = manifestText ? (JSON.parse(manifestText) as Record<string, Record<string, string> | undefined>) : {};
    const dev = variant.includes("dev-deps-included");
    const groups = ["dependencies", "optionalDependencies", "peerDependencies", ...(dev ? ["devDependencies"] : [])];
    const names = new Set(groups.flatMap((g) => Object.keys(manifest[g] ?? {})));
    const got = reachable(parsed.graph, { ...SNYK_OPTIONS[format], importers: [importer], dev, names });
    const snykVersion = (v: string | null) => (v === null || v === "undefined" || v === "null" ? "" : v);
    const { want } = applyDeviation(
      label,
      SNYK_DEVIATIONS,
      sorted((c.packages ?? []).map((p) => `${p.name}@${snykVersion(p.version)}`)),
    );
    assert.deepEqual(sorted([...got].map((d) => `${d.name}@${d.version ?? ""}`)), want, label);
  }
  return cases.length;
}

const LOCK_FORMATS: LockFormat[] = ["npm-package-lock", "yarn-lock-v1", "yarn-lock-berry", "pnpm-lock", "bun-lock"];

for (const format of LOCK_FORMATS) {
  describe(`conformance: ${format}`, () => {
    const files = expectedFiles(format);
    test("the corpus is there", () => assert.ok(files.length >= 19, `${files.length} expected files`));
    for (const { fixture, expected } of files) {
      test(rel(fixture), () => {
        const text = readFileSync(fixture, "utf8");
        const n = expected.source.repo.startsWith("snyk/")
          ? checkSnyk(format, fixture, text, expected.cases)
          : checkScalibr(format, fixture, text, expected.cases);
        assert.ok(n > 0);
      });
    }
  });
}

// osv-scalibr's package.json extractor reports the package itself (node_modules/*/package.json);
// only in its "with dependencies" cases does it list dependencies, at the lowest version of their range.
const SCALIBR_MANIFEST_WITH_DEPS = new Set(["duplicate_keys_in_dev_deps", "package_with_dependencies"]);
const SCALIBR_SKIPS_NON_NPM = new Map([
  ["VSCode extension", "scalibr drops VS Code extension manifests; we still read their name and dependencies"],
  ["VSCode extension with only required fields", "as above"],
  ["Unity package", "scalibr drops Unity package manifests; we still read their name and dependencies"],
  ["empty version", "scalibr drops a package without a version; its name is still the local name"],
]);

describe("conformance: npm-package-json", () => {
  const files = expectedFiles("npm-package-json");
  test("the corpus is there", () => assert.equal(files.length, 15));
  for (const { fixture, expected } of files) {
    test(rel(fixture), () => {
      const text = readFileSync(fixture, "utf8");
      const result = packageJsonExtractor.extract(text, fixture);
      for (const c of expected.cases) {
        const label = `${rel(fixture)} :: ${c.test}`;
        if (c.wantErr) {
          assert.ok(result.problems.length > 0, label);
          assert.equal(localPackageName(text), null);
          continue;
        }
        assert.deepEqual(result.problems, [], label);
        const own = localPackageName(text);
        const packages = c.packages ?? [];
        const self = packages.find((p) => p.name === own);
        if (packages.length === 0 && !SCALIBR_SKIPS_NON_NPM.has(c.test ?? "")) assert.equal(own, null, label);
        if (packages.length > 0) assert.ok(self, `${label}: the local name ${own} is the package scalibr reports`);
        if (SCALIBR_MANIFEST_WITH_DEPS.has(c.test ?? "")) {
          const ours = result.dependencies
            .filter((d) => d.source === "registry" && d.version !== null && semver.validRange(d.version) !== null)
            .map((d) => `${d.name}@${semver.minVersion(d.version as string)?.version}`);
          const want = packages.filter((p) => p !== self).map((p) => `${p.name}@${p.version}`);
          assert.deepEqual(sorted(ours), sorted(want), label);
        }
        for (const d of result.dependencies) assert.ok((d.location.line ?? 0) > 1, `${label}: ${d.name} line`);
      }
    });
  }
});

test("every documented deviation is still needed", () => {
  for (const key of [...Object.keys(SCALIBR_DEVIATIONS), ...Object.keys(SCALIBR_DEV_DEVIATIONS), ...Object.keys(SNYK_DEVIATIONS)]) {
    assert.ok(used.has(key), `deviation "${key}" matched no case`);
  }
});
