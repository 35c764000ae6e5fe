// bouncer k8s PATH... [--k8s-version X.Y] [--json] [--format text|json|sarif]
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkManifests, type ManifestFile } from "../../../k8s/check.ts";
import { renderK8sJson, renderK8sText } from "../../../k8s/format.ts";
import { renderK8sSarif } from "../../../k8s/sarif.ts";
import type { ApiRow, CisData, FieldIndex, FlagRow, FlagValueRow, K8sData } from "../../../k8s/types.ts";
import { isSupported, normalizeVersion, supportedRange } from "../../../k8s/versions.ts";
import { styleFor } from "../../../report/style.ts";
import { type CliIO, UsageError } from "../io.ts";
import type { Command } from "./types.ts";

const DATA_DIR = new URL("../../../../data/k8s/", import.meta.url);
// kubectl apply -f DIR reads .json too.
const MANIFEST = /\.(ya?ml|json)$/i;
// In a Helm chart only templates/ and crds/ hold manifests (charts/ holds subcharts, walked as charts).
const CHART_MANIFEST_DIRS = new Set(["templates", "crds", "charts"]);
const SKIPPED_DIRS = new Set(["node_modules", ".git"]);

let cached: K8sData | undefined;

/** The shipped data (data/k8s, written by scripts/generate-k8s-data.ts). */
export function loadK8sData(): K8sData {
  if (cached) return cached;
  const read = (name: string) => JSON.parse(readFileSync(new URL(name, DATA_DIR), "utf8"));
  const indexes = readdirSync(DATA_DIR)
    .filter((f) => /^fields-\d+\.\d+\.json$/.test(f))
    .map((f) => read(f) as FieldIndex);
  const flags = read("flags.json");
  cached = { apis: read("apis.json").apis as ApiRow[], flags: flags.flags as FlagRow[], flagValues: (flags.values ?? []) as FlagValueRow[], cis: read("cis.json") as CisData, indexes };
  return cached;
}

const isChart = (dir: string): boolean => {
  try {
    return statSync(path.join(dir, "Chart.yaml")).isFile();
  } catch {
    return false;
  }
};

/** Files as given, folders walked (sorted, so output is stable) for *.yaml, *.yml and *.json. */
function collect(target: string, io: CliIO, out: ManifestFile[]): void {
  const full = path.resolve(io.cwd, target);
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(full);
  } catch {
    throw new UsageError(`cannot read ${target}: no such file or folder`, `paths are relative to ${io.cwd}; use - for standard input`);
  }
  if (stat.isDirectory()) {
    // chartRoot: the nearest Helm chart folder above, whose files outside templates/ and crds/ are values or metadata.
    const walk = (dir: string, chartRoot: string | undefined): void => {
      const root = isChart(dir) ? dir : chartRoot;
      for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && !SKIPPED_DIRS.has(e.name)) walk(p, root);
        else if (e.isFile() && MANIFEST.test(e.name)) {
          const shown = path.relative(io.cwd, p) || p;
          const inChart = root !== undefined && !CHART_MANIFEST_DIRS.has(path.relative(root, p).split(path.sep)[0]!);
          out.push(inChart ? { file: shown, text: "", chartFile: true } : read(p, shown));
        }
      }
    };
    walk(full, undefined);
  } else if (path.basename(full) === "Chart.yaml" || (isChart(path.dirname(full)) && /^values.*\.(ya?ml|json)$/i.test(path.basename(full)))) {
    out.push({ file: target, text: "", chartFile: true });
  } else out.push(read(full, target));
}

/** A file that cannot be read is not evaluated, and says why; it never stops the others. */
function read(file: string, shown: string): ManifestFile {
  try {
    return { file: shown, text: readFileSync(file, "utf8") };
  } catch (error) {
    return { file: shown, text: "", unreadable: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

export const k8s: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        "k8s-version": { type: "string" },
        json: { type: "boolean" },
        format: { type: "string" },
        strict: { type: "boolean" },
        verbose: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    const format = values.json ? "json" : (values.format ?? "text");
    if (format !== "text" && format !== "json" && format !== "sarif") throw new UsageError(`unknown format "${format}"`, "bouncer k8s writes text, json or sarif");
    if (!positionals.length) throw new UsageError("no manifests to check", "e.g. bouncer k8s manifests/ --k8s-version 1.34");
    const data = loadK8sData();
    const { oldest, newest } = supportedRange(data);
    const requested = values["k8s-version"];
    const version = requested === undefined ? newest : normalizeVersion(requested);
    if (!version || !isSupported(version, data)) {
      throw new UsageError(`Kubernetes version "${requested}" is not covered by Bouncer's data`, `supported versions: ${oldest} to ${newest}, e.g. --k8s-version ${newest}`);
    }
    const files: ManifestFile[] = [];
    for (const p of positionals) {
      if (p === "-") files.push({ file: "<stdin>", text: await io.readStdin() });
      else collect(p, io, files);
    }
    const report = checkManifests(files, data, { version, defaultVersion: requested === undefined });
    io.stdout.write(
      format === "json"
        ? renderK8sJson(report)
        : format === "sarif"
          ? renderK8sSarif(report)
          : renderK8sText(report, { style: styleFor(io.stdoutIsTTY, io.env), verbose: values.verbose }),
    );
    if (report.summary.block > 0) return 1;
    return values.strict && report.summary.warn > 0 ? 1 : 0;
  },
};
