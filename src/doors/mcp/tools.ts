// The tools an AI agent calls before it suggests or installs a package.
import type { Notice, PackageRequest, PackageResult, Report } from "../../core/model.ts";
import { ECOSYSTEMS } from "../../ecosystems/index.ts";
import { type Tool, ToolInputError, type ToolResult } from "./protocol.ts";

/** What the tools need from the engine (see src/engine/service.ts). */
export interface GateService {
  parseSpec(spec: string, ecosystem: string | undefined): PackageRequest;
  check(requests: PackageRequest[]): Promise<PackageResult[]>;
  scanText(text: string, file: string): Promise<Report>;
  suggest(ecosystem: string, name: string, limit: number): Promise<PackageResult[]>;
  /** Said with every answer (e.g. no malicious feed is loaded). */
  notices?: readonly Notice[];
}

const ECOSYSTEM_IDS = [...ECOSYSTEMS.keys()];
const ECOSYSTEM = { type: "string", enum: ECOSYSTEM_IDS, description: ECOSYSTEM_IDS.join(" or ") };

const RESULT_SCHEMA = {
  type: "object",
  properties: {
    package: { type: "string" },
    verdict: { type: "string", enum: ["allow", "warn", "block"] },
    reasons: { type: "array", items: { type: "string" } },
    didYouMean: { type: "array", items: { type: "string" } },
    advice: { type: "string" },
  },
  required: ["package", "verdict", "reasons", "didYouMean", "advice"],
};

const OUTPUT_SCHEMA = {
  type: "object",
  properties: {
    results: { type: "array", items: RESULT_SCHEMA },
    summary: { type: "object", properties: { allow: { type: "number" }, warn: { type: "number" }, block: { type: "number" } } },
    notEvaluated: { type: "array", items: { type: "object" } },
    notices: { type: "array", items: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } } },
  },
  required: ["results", "summary"],
};

/** Findings that say the name itself is wrong: only then is another package the answer. */
const WRONG_NAME = new Set(["not-found", "invalid-name", "known-malicious", "security-holding", "typosquat", "suspicious-name", "import-name-mismatch"]);

function advice(r: PackageResult): string {
  if (r.verdict === "allow") return "safe to use";
  const other = r.didYouMean.find((d) => d !== r.name);
  let next = "";
  // didYouMean names the package itself when it is real but could not be verified: switching to a
  // similar name is how a slopsquat gets installed.
  if (r.didYouMean[0] === r.name) next = `; ${r.name} is a known package: keep that name and verify it again later, do not switch to a similar-looking one`;
  else if (other && r.findings.some((f) => WRONG_NAME.has(f.code))) next = `; use ${other} instead`;
  else if (other) next = `; if ${other} is what you meant, verify it first`;
  if (r.verdict === "block") return `do not suggest or install ${r.name}${next}`;
  return `usable, but tell the user: ${r.findings[0]?.message ?? "see reasons"}${next}`;
}

function shorten(results: PackageResult[]) {
  return results.map((r) => ({
    package: r.purl,
    verdict: r.verdict,
    reasons: r.findings.map((f) => `${f.code}: ${f.message}`),
    didYouMean: r.didYouMean,
    advice: advice(r),
  }));
}

function summaryOf(results: PackageResult[]) {
  const s = { allow: 0, warn: 0, block: 0 };
  for (const r of results) s[r.verdict]++;
  return s;
}

function toResult(results: PackageResult[], notEvaluated: Report["notEvaluated"] = [], notices: readonly Notice[] = []): ToolResult {
  const lines = results.map((r) => `${r.verdict.toUpperCase()} ${r.purl}: ${advice(r)}`);
  for (const n of notEvaluated) lines.push(`NOT EVALUATED ${n.file}: ${n.reason}`);
  const text = lines.join("\n") || "no packages found";
  return {
    text: notices.length ? `${text}\n${notices.map((n) => `NOTICE ${n.message}`).join("\n")}` : text,
    structured: { results: shorten(results), summary: summaryOf(results), notEvaluated, ...(notices.length ? { notices: notices.slice() } : {}) },
  };
}

function stringArg(args: Record<string, unknown>, key: string, required: true): string;
function stringArg(args: Record<string, unknown>, key: string, required: false): string | undefined;
function stringArg(args: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = args[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || !v) throw new ToolInputError(`"${key}" must be a non-empty string`);
  return v;
}

function ecosystemArg(args: Record<string, unknown>, required: boolean): string | undefined {
  const v = required ? stringArg(args, "ecosystem", true) : stringArg(args, "ecosystem", false);
  if (v !== undefined && !ECOSYSTEM_IDS.includes(v)) {
    throw new ToolInputError(`"ecosystem" must be ${ECOSYSTEM_IDS.map((id) => `"${id}"`).join(" or ")}, not "${v}"`);
  }
  return v;
}

const MAX_PACKAGES = 500;
const MAX_TEXT = 1_000_000;

export function bouncerTools(service: GateService): Tool[] {
  return [
    {
      name: "verify_packages",
      title: "Verify packages",
      description:
        "Check npm or PyPI packages before suggesting or installing them. Give purls (pkg:npm/react, pkg:pypi/requests@2.31.0) " +
        "or plain names with `ecosystem`. Returns a verdict per package (allow, warn, block), the reasons, and the probable real package.",
      inputSchema: {
        type: "object",
        properties: {
          packages: { type: "array", items: { type: "string" }, minItems: 1, maxItems: MAX_PACKAGES, description: "purls, or names (name@version) with ecosystem" },
          ecosystem: ECOSYSTEM,
        },
        required: ["packages"],
      },
      outputSchema: OUTPUT_SCHEMA,
      async call(args) {
        const packages = args.packages;
        if (!Array.isArray(packages) || !packages.length || packages.some((p) => typeof p !== "string" || !p.trim())) {
          throw new ToolInputError('"packages" must be a non-empty list of strings');
        }
        if (packages.length > MAX_PACKAGES) throw new ToolInputError(`at most ${MAX_PACKAGES} packages per call`);
        const ecosystem = ecosystemArg(args, false);
        let requests: PackageRequest[];
        try {
          requests = (packages as string[]).map((p) => service.parseSpec(p, ecosystem));
        } catch (error) {
          throw new ToolInputError((error as Error).message);
        }
        return toResult(await service.check(requests), [], service.notices);
      },
    },
    {
      name: "scan_snippet",
      title: "Scan a snippet",
      description:
        "Scan a draft answer, code snippet, shell commands or a manifest for every package it installs or imports " +
        "(pip/npm/yarn/pnpm/uv/poetry commands, Python and JavaScript imports) and verify each one. Call it on your answer before sending it.",
      inputSchema: {
        type: "object",
        properties: {
          text: { type: "string", description: "the text to scan (Markdown, code, shell)" },
          filename: { type: "string", description: "optional file name that tells the format, e.g. requirements.txt or package.json" },
        },
        required: ["text"],
      },
      outputSchema: OUTPUT_SCHEMA,
      async call(args) {
        const text = args.text;
        if (typeof text !== "string") throw new ToolInputError('"text" must be a string');
        if (text.length > MAX_TEXT) throw new ToolInputError(`"text" is longer than ${MAX_TEXT} characters`);
        const report = await service.scanText(text, stringArg(args, "filename", false) ?? "snippet.md");
        return toResult(report.results, report.notEvaluated, service.notices);
      },
    },
    {
      name: "suggest_package",
      title: "Find the real package",
      description:
        "Given a package name you intend to use (possibly misspelled or invented), return the real, verified packages it most probably means.",
      inputSchema: {
        type: "object",
        properties: { ecosystem: ECOSYSTEM, name: { type: "string" }, limit: { type: "number", minimum: 1, maximum: 10 } },
        required: ["ecosystem", "name"],
      },
      outputSchema: OUTPUT_SCHEMA,
      async call(args) {
        const ecosystem = ecosystemArg(args, true)!;
        const name = stringArg(args, "name", true);
        const limit = args.limit === undefined ? 3 : Number(args.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10) throw new ToolInputError('"limit" must be a whole number from 1 to 10');
        return toResult(await service.suggest(ecosystem, name, limit), [], service.notices);
      },
    },
  ];
}
