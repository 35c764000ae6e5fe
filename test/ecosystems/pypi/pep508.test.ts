// pep508.ts: unit cases, and a differential test against Python's `packaging` Requirement (what pip
// uses) on a generated + hand-written corpus plus every requirement-like line of the fixtures, in
// one python3 run. Skipped (with the reason) only where python3 or packaging >= 26 is missing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import { parseMarker, parseRequirement, pinnedVersion, pythonStringLiteral } from "../../../src/ecosystems/pypi/pep508.ts";
import { pep440Version, type Random, seeded, versionish } from "../random.ts";
import { packagingPreamble } from "./packaging-oracle.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(HERE, "../../../../shared/fixtures");
const OWN_FIXTURES = path.resolve(HERE, "manifests/fixtures");

const ORACLE = `${packagingPreamble(["from packaging.requirements import Requirement", "from packaging.markers import Marker", "from packaging.specifiers import SpecifierSet"])}import warnings
warnings.simplefilter("ignore")
data = json.load(sys.stdin)
markers = []
for text in data["markers"]:
    try:
        markers.append(str(Marker(text)))
    except Exception as e:
        markers.append(None)
out = []
for item in data["requirements"]:
    try:
        req = Requirement(item["text"])
        r = {"ok": True, "name": req.name, "extras": sorted(req.extras), "specifier": str(req.specifier),
             "marker": None if req.marker is None else str(req.marker), "url": req.url}
    except Exception as e:
        r = {"ok": False, "error": type(e).__name__}
    if item.get("ours") is not None:
        try:
            r["ours"] = str(SpecifierSet(item["ours"]))
        except Exception as e:
            r["ours"] = "!" + type(e).__name__
    out.append(r)
json.dump({"results": out, "markers": markers}, sys.stdout)
`;

test("parses names, extras, specifiers, markers and URLs", () => {
  assert.deepEqual(parseRequirement("requests [security, socks] >= 2.8.1, == 2.8.* ; python_version < '2.7'"), {
    name: "requests",
    extras: ["security", "socks"],
    specifier: ">=2.8.1,==2.8.*",
    marker: 'python_version < "2.7"',
    url: null,
  });
  assert.deepEqual(parseRequirement("pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee ; os_name=='nt'"), {
    name: "pip",
    extras: [],
    specifier: "",
    marker: 'os_name == "nt"',
    url: "https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee",
  });
  assert.deepEqual(parseRequirement("name (>=1.0, <2)"), { name: "name", extras: [], specifier: ">=1.0,<2", marker: null, url: null });
  const nested = parseRequirement('a; (os_name == "nt" or extra == "Dev_Tools") and python_version >= "3"');
  assert.equal("marker" in nested && nested.marker, '(os_name == "nt" or extra == "Dev_Tools") and python_version >= "3"');
  const top = parseRequirement('a; extra == "Dev_Tools"');
  assert.equal("marker" in top && top.marker, 'extra == "dev-tools"');
});

test("rejects what packaging rejects, with a reason and no throw", () => {
  for (const bad of ["", "==1.0", "asdf 1.0", "foo-", "foo>=1.0.*", "foo~=1", "foo; bogus == '1'", "foo @", "foo[bar", "-e .", "foo @ url x"]) {
    const result = parseRequirement(bad);
    assert.ok("error" in result, `${JSON.stringify(bad)} should be invalid`);
    assert.ok(result.error.length > 0);
  }
  assert.ok("error" in parseRequirement(undefined as unknown as string));
});

test("pinnedVersion: only a single == (no wildcard) or === pins", () => {
  assert.equal(pinnedVersion("==1.0"), "1.0");
  assert.equal(pinnedVersion("===1.0-foo"), "1.0-foo");
  assert.equal(pinnedVersion("==1.*"), null);
  assert.equal(pinnedVersion(">=1.0"), null);
  assert.equal(pinnedVersion("==1.0,!=1.1"), null);
  assert.equal(pinnedVersion(""), null);
});

test("pythonStringLiteral decodes Python escapes and rejects what Python rejects", () => {
  assert.equal(pythonStringLiteral(String.raw`'a\x41\101\u00e9\n\q'`), "aAAé\n\\q");
  assert.equal(pythonStringLiteral(String.raw`"\x4"`), null);
  assert.equal(pythonStringLiteral("'a\nb'"), null);
  assert.equal(pythonStringLiteral("'a\\\nb'"), "ab");
});

// ---------------------------------------------------------------------------------------------
// Corpus

const NAMES = ["requests", "Foo_Bar", "a", "A.b-c", "x1", "foo_", "foo-", "foo.", "-foo", "_foo", "9lives", "zope.interface", "é", "fooé", "foo-é", "fo o", "a__b", "a--b", "name1.2"];
const WS = ["", "", " ", "  ", "\t", "\n", "\u00a0", "\r", " \t"];
const EXTRAS = ["", "", "[a]", "[a,b]", "[ a , b ]", "[]", "[ ]", "[a b]", "[a,]", "[,a]", "[a", "[Foo_Bar]", "[a,a]", "[a-]", "[é]"];
const OPS = ["==", "!=", ">=", "<=", "<", ">", "~=", "===", "=", "=>", "== ", ">= "];
const VERSIONS = ["1", "1.0", "1.0.*", "1.*", "v1.0", "1!2.0", "1.0a1", "1.0.post1", "1.0.dev0", "1.0+local", "1.0+LOCAL", "1.0-1", "1.0rc1.post2.dev3", "1.0_beta", "abc", "", "1.0-", "1.0.*.1", "1.0 ", "1.0(", "1.0)"];
const SPEC_JOIN = [",", " , ", ", ,", " ", ",,"];
const VARIABLES = ["python_version", "python_full_version", "os_name", "os.name", "sys_platform", "sys.platform", "platform_release", "platform_system", "platform_version", "platform.version", "platform_machine", "platform_python_implementation", "python_implementation", "implementation_name", "implementation_version", "extra", "extras", "dependency_groups", "python_versionx", "foo", "Extra"];
const MARKER_OPS = ["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in", "not  in", "notin", "=", "in\t", "not\tin"];
const VALUES = ["'3.8'", '"3.8"', "'nt'", '"Dev_Tools"', "'a\"b'", "\"a'b\"", "'\\x41'", "'\\n'", "'\\q'", "'\\x4'", "'unterminated", "''", "'\\u00e9'", "'\\101'", "'a\\\\'", "'\\\\'", "'é'", "'a b'"];
const URLS = ["@ https://x.org/a.whl", "@https://x", "@ ", "@", "@ file:///tmp/x", "@ git+https://github.com/a/b.git@v1#egg=b", "@ https://x.org/a b", "@ https://x;python_version<'3'"];

// `clean` draws only from the valid choices, so that both verdicts are well represented.
const CLEAN = {
  names: ["requests", "Foo_Bar", "a", "A.b-c", "x1", "foo_", "zope.interface", "a__b", "name1.2"],
  ws: ["", " ", "  ", "\t"],
  extras: ["", "", "[a]", "[a,b]", "[ a , b ]", "[]", "[Foo_Bar]", "[a,a]"],
  ops: ["==", "!=", ">=", "<=", "<", ">", "~=", "==="],
  variables: VARIABLES.slice(0, 18),
  markerOps: MARKER_OPS.slice(0, 11),
  values: VALUES.slice(0, 9),
  urls: [URLS[0]!, URLS[1]!, URLS[4]!, URLS[5]!, URLS[7]!],
  joins: [" and ", " or ", "\tand ", " or  "],
};

function markerItem(r: Random, clean: boolean): string {
  const vars = clean ? CLEAN.variables : VARIABLES;
  const values = clean ? CLEAN.values : VALUES;
  const left = r.chance(0.5) ? r.pick(vars) : r.pick(values);
  const right = r.chance(0.5) ? r.pick(values) : r.pick(vars);
  const ws = () => (r.chance(0.7) ? " " : r.pick(clean ? CLEAN.ws : WS));
  return `${left}${ws()}${r.pick(clean ? CLEAN.markerOps : MARKER_OPS)}${ws()}${right}`;
}

function marker(r: Random, clean: boolean, depth = 0): string {
  const count = 1 + r.int(depth > 1 ? 1 : 3);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    let atom = depth < 3 && r.chance(0.25) ? marker(r, clean, depth + 1) : markerItem(r, clean);
    if (r.chance(0.3)) {
      const ws = clean ? CLEAN.ws : WS;
      atom = `(${r.pick(ws)}${atom}${r.pick(ws)}${clean || r.chance(0.95) ? ")" : ""}`;
    }
    if (i > 0) parts.push(r.pick(clean ? CLEAN.joins : [" and ", " or ", "and ", " AND ", "  or\t", " && "]));
    parts.push(atom);
  }
  return parts.join("");
}

function specifiers(r: Random, clean: boolean): string {
  const count = r.int(4);
  const clauses = Array.from({ length: count }, () => {
    if (clean) {
      const op = r.pick(CLEAN.ops);
      let version = pep440Version(r).trim();
      if (op === "~=" && !version.includes(".")) version += ".0";
      if (op !== "==" && op !== "!=" && op !== "===") version = version.replace(/\+.*$/, "");
      return `${op}${r.pick(CLEAN.ws)}${version}`;
    }
    const version = r.chance(0.5) ? r.pick(VERSIONS) : r.chance(0.6) ? pep440Version(r) : versionish(r);
    return `${r.pick(OPS)}${version}`;
  });
  const text = clauses.join(clean ? r.pick([",", " , ", ", "]) : r.pick(SPEC_JOIN));
  if (r.chance(0.2)) return `(${r.pick(WS)}${text}${r.pick(WS)}${clean || r.chance(0.9) ? ")" : ""}`;
  return text;
}

function generated(r: Random): string {
  const clean = r.chance(0.6);
  const ws = () => r.pick(clean ? CLEAN.ws : WS);
  let text = ws() + r.pick(clean ? CLEAN.names : NAMES) + ws() + r.pick(clean ? CLEAN.extras : EXTRAS) + ws();
  if (r.chance(0.15)) text += r.pick(clean ? CLEAN.urls : URLS) + (r.chance(0.4) ? ` ;${marker(r, clean)}` : "");
  else text += specifiers(r, clean) + (r.chance(0.4) ? `${ws()};${ws()}${marker(r, clean)}` : "");
  return text + (r.chance(0.1) ? ws() : "");
}

const MUTATION_CHARS = [" ", "\t", "\n", "(", ")", "[", "]", ",", ";", "@", "'", '"', "=", "<", ">", "~", "!", ".", "*", "+", "-", "_", "a", "1", "\\", "é", "\ud800", "\u{1F600}"];

function mutate(r: Random, text: string): string {
  const chars = [...text];
  const edits = 1 + r.int(3);
  for (let i = 0; i < edits; i++) {
    const at = r.int(chars.length + 1);
    const op = r.int(3);
    if (op === 0) chars.splice(at, 0, r.pick(MUTATION_CHARS));
    else if (op === 1) chars.splice(at, 1);
    else chars[at] = r.pick(MUTATION_CHARS);
  }
  return chars.join("");
}

const HAND_WRITTEN = [
  "foo\n",
  "foo \n",
  "foo\n\n",
  "foo; os_name == '\ud800'",
  "foo; os_name == '\u{1F600}'",
  "foo; os_name == '\\N{DIGIT ONE}'.x",
  "foo@http://x;python_version<'3'",
  "foo ===a,b",
  "foo ===a,==1",
  "foo ===",
  "foo === ,",
  "foo; python_version<\"3\"and os_name=='x'",
  "foo; python_version<\"3\"andos_name=='x'",
  "foo; a and ((b or c))",
  "foo; os_name == 'a' and ((os_name == 'b' or os_name == 'c'))",
  "foo; ((python_version<'3'))",
  "foo; extra == extra",
  "foo; (extra == 'A_B')",
  "foo; 'A.B' == extra",
  "foo; extra == python_version",
  "name[quux, strange];python_version<'2.7' and platform_version=='2'",
  "name; os_name=='a' or os_name=='b' and os_name=='c'",
  "name @ http://foo.com",
  "name @ http://foo.com ; ",
  "name@ http://foo.com\t;\tpython_version>='3'",
  "A.B-C_D",
  "aa[bb,cc]~=1.0.0,!=1.0.5",
  "x (===arbitrary)",
  "x ( >= 1 , < 2 )",
  "x>=1.0a1.post2.dev3",
  "x==1.0.*+local",
  "x~=1.0.*",
  "x<=1!2.0",
  "X===1.0 ; python_version == '3.8'",
  "x[]",
  "x[] == 1",
  "\tx",
  " x ",
  "x\t;\tos_name=='nt'",
  "x;os_name=='nt'",
  "x; os_name in 'nt posix'",
  "x; 'nt' not in os_name",
  "x; dependency_groups == 'a'",
  "x; extras in 'a'",
  "x; platform.python_implementation == 'CPython'",
  "x; python_full_version ~= '3.8.0'",
  "x; python_version === '3.8'",
];

function walk(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (!full.endsWith(".expected.json")) out.push(full);
  }
  return out;
}

function stringsIn(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) stringsIn(v, out);
}

/** Every line of requirements-style fixtures and every string value of TOML fixtures. */
function fixtureLines(): string[] {
  const lines: string[] = [];
  const dirs = ["requirements-txt", "pyproject-pep621", "poetry-lock", "pdm-lock", "uv-lock"].map((d) => path.join(FIXTURES, d));
  for (const file of [...dirs.flatMap((d) => walk(d)), ...walk(OWN_FIXTURES)]) {
    const text = readFileSync(file, "utf8");
    const base = path.basename(file);
    if (/\.(txt|in)$/.test(base) || base === "setup.cfg") {
      for (const line of text.split(/\r?\n/)) if (line.trim() && !line.trim().startsWith("#")) lines.push(line.replace(/\s+#.*$/, ""));
    } else if (/\.(toml|lock)$/.test(base) || base === "Pipfile") {
      try {
        stringsIn(parseToml(text), lines);
      } catch {
        // not TOML: covered by the extractor tests
      }
    }
  }
  return [...new Set(lines)];
}

function corpus(): string[] {
  const r = seeded(508);
  const out = [...HAND_WRITTEN, ...fixtureLines()];
  const base: string[] = [];
  for (let i = 0; i < 3000; i++) base.push(generated(r));
  out.push(...base);
  for (let i = 0; i < 2000; i++) out.push(mutate(r, r.chance(0.5) ? r.pick(base) : r.pick(HAND_WRITTEN)));
  return out;
}

test("differential: agrees with packaging.requirements.Requirement on every verdict and field", (t) => {
  const lines = corpus();
  const ours = lines.map((text) => parseRequirement(text));
  const input = lines.map((text, i) => {
    const o = ours[i]!;
    return { text, ours: "error" in o ? null : o.specifier };
  });
  // Markers alone (pip parses the part after ";" with Marker()): the text after each first ";".
  const markerTexts = [...new Set(lines.filter((l) => l.includes(";")).map((l) => l.slice(l.indexOf(";") + 1)))];
  const ourMarkers = markerTexts.map((m) => parseMarker(m));
  const payload = JSON.stringify({ requirements: input, markers: markerTexts });
  const run = spawnSync("python3", ["-c", ORACLE], { input: payload, maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) {
    t.skip(`python3 not runnable: ${run.error?.message ?? run.stderr.toString()}`);
    return;
  }
  const answer = JSON.parse(run.stdout.toString()) as {
    skip?: string;
    results: Array<Record<string, unknown>>;
    markers: Array<string | null>;
  };
  if (answer.skip) {
    t.skip(answer.skip);
    return;
  }
  let valid = 0;
  const diffs: string[] = [];
  answer.results.forEach((ref, i) => {
    const o = ours[i]!;
    const text = JSON.stringify(lines[i]);
    if ("error" in o) {
      if (ref.ok) diffs.push(`${text}: we reject (${o.error}), packaging accepts`);
      return;
    }
    if (!ref.ok) {
      diffs.push(`${text}: we accept, packaging rejects (${ref.error})`);
      return;
    }
    valid++;
    const got = { name: o.name, extras: [...o.extras].sort(), specifier: ref.ours, marker: o.marker, url: o.url };
    const want = { name: ref.name, extras: ref.extras, specifier: ref.specifier, marker: ref.marker, url: ref.url };
    if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${text}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
  });
  let validMarkers = 0;
  answer.markers.forEach((ref, i) => {
    const o = ourMarkers[i]!;
    const got = "error" in o ? null : o.marker;
    if (got !== null) validMarkers++;
    if (got !== ref) diffs.push(`marker ${JSON.stringify(markerTexts[i])}: ${JSON.stringify(got)} != ${JSON.stringify(ref)}`);
  });
  assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} disagreements of ${lines.length + markerTexts.length}`);
  assert.ok(validMarkers > 300 && validMarkers < markerTexts.length - 300, `valid markers ${validMarkers} of ${markerTexts.length}`);
  // The corpus must exercise both sides.
  assert.ok(valid > 1000 && valid < lines.length - 1000, `valid ${valid} of ${lines.length}`);
});
