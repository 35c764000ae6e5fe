// Removed and deprecated flags of control-plane components, and flag values they reject (removed
// admission plugins and feature gates): from static pods' command lines, kubeadm's extraArgs, and
// KubeletConfiguration featureGates.
import { MESSAGES } from "./format.ts";
import { formatPath, type Path } from "./schema.ts";
import type { CisCheck, CisData, CisItem, FlagRow, FlagValueRow, K8sData, K8sFinding } from "./types.ts";
import { atOrBefore, versionRank } from "./versions.ts";
import { containersOf, groupOf, type PodSpec } from "./workloads.ts";
import { isRecord } from "../core/guards.ts";

const COMPONENTS = new Set(["kube-apiserver", "kubelet", "kube-controller-manager", "kube-scheduler", "kube-proxy", "etcd"]);

/** Flags whose value is a comma-separated list of names (feature gates as Name=bool). */
const LIST_FLAGS = new Set(["--enable-admission-plugins", "--feature-gates"]);

/** kubeadm ClusterConfiguration sections -> the component their extraArgs go to. */
const KUBEADM_SECTIONS: Record<string, string> = { apiServer: "kube-apiserver", controllerManager: "kube-controller-manager", scheduler: "kube-scheduler" };

/** A Setting from KubeletConfiguration: `configPath` of a CIS item (simple `{.a.b}` paths only). */
const CONFIG_PATH = /^\{\.([A-Za-z][\w.]*)\}$/;

type Lines = (path: Path) => number | undefined;

/** One flag as a component receives it; `path` locates it in the object. */
interface Setting {
  component: string;
  flag: string;
  value?: string;
  path: Path;
}

interface Token {
  text: string;
  path: Path;
}

/** command then args, split on blanks so that `sh -c "kube-apiserver --x"` is read too. */
function tokens(container: Record<string, unknown>, path: Path): Token[] {
  const out: Token[] = [];
  for (const field of ["command", "args"]) {
    const list = container[field];
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (typeof item === "string") for (const text of item.split(/\s+/)) if (text) out.push({ text, path: [...path, field, i] });
    });
  }
  return out;
}

/** `--flag=value`, or `--flag value` when the next token is not a flag. */
function containerSettings(pod: PodSpec): Setting[] {
  const out: Setting[] = [];
  for (const { container, path } of containersOf(pod)) {
    const all = tokens(container, path);
    const start = all.findIndex((t) => COMPONENTS.has(t.text.slice(t.text.lastIndexOf("/") + 1)));
    if (start < 0) continue;
    const component = all[start]!.text.slice(all[start]!.text.lastIndexOf("/") + 1);
    for (let i = start + 1; i < all.length; i++) {
      const t = all[i]!;
      if (!t.text.startsWith("--")) continue;
      const eq = t.text.indexOf("=");
      const next = all[i + 1];
      const value = eq >= 0 ? t.text.slice(eq + 1) : next && !next.text.startsWith("-") ? next.text : undefined;
      out.push({ component, flag: eq >= 0 ? t.text.slice(0, eq) : t.text, value, path: t.path });
    }
  }
  return out;
}

/** kubeadm extraArgs: a map (v1beta3) or a list of {name, value} (v1beta4). */
function extraArgs(args: unknown, component: string, path: Path): Setting[] {
  const out: Setting[] = [];
  const add = (name: unknown, value: unknown, at: Path) => {
    if (typeof name === "string" && name) out.push({ component, flag: `--${name.replace(/^-+/, "")}`, value: value === undefined || value === null ? undefined : String(value), path: at });
  };
  if (Array.isArray(args)) {
    args.forEach((a, i) => {
      if (isRecord(a)) add(a.name, a.value, [...path, i, "name"]);
    });
  } else if (isRecord(args)) for (const [name, value] of Object.entries(args)) add(name, value, [...path, name]);
  return out;
}

function configSettings(object: Record<string, unknown>, apiVersion: string, kind: string): Setting[] {
  const group = groupOf(apiVersion);
  const out: Setting[] = [];
  if (group === "kubeadm.k8s.io") {
    if (kind === "ClusterConfiguration") {
      for (const [section, component] of Object.entries(KUBEADM_SECTIONS)) {
        const s = object[section];
        if (isRecord(s)) out.push(...extraArgs(s.extraArgs, component, [section, "extraArgs"]));
      }
      const etcd = isRecord(object.etcd) && isRecord(object.etcd.local) ? object.etcd.local : undefined;
      if (etcd) out.push(...extraArgs(etcd.extraArgs, "etcd", ["etcd", "local", "extraArgs"]));
    }
    const node = object.nodeRegistration;
    if ((kind === "InitConfiguration" || kind === "JoinConfiguration") && isRecord(node)) {
      out.push(...extraArgs(node.kubeletExtraArgs, "kubelet", ["nodeRegistration", "kubeletExtraArgs"]));
    }
  }
  if (group === "kubelet.config.k8s.io" && kind === "KubeletConfiguration" && isRecord(object.featureGates)) {
    for (const [gate, on] of Object.entries(object.featureGates)) {
      out.push({ component: "kubelet", flag: "--feature-gates", value: `${gate}=${String(on)}`, path: ["featureGates", gate] });
    }
  }
  return out;
}

function checkName(s: Setting, flags: readonly FlagRow[], version: string, lineAt: Lines): K8sFinding | undefined {
  const row = flags.find((r) => r[0] === s.component && r[1] === s.flag);
  if (!row) return undefined;
  const [, , deprecatedIn, removedIn, replacement] = row;
  const where = { path: formatPath(s.path), line: lineAt(s.path), ...(replacement ? { replacement } : {}) };
  if (removedIn && atOrBefore(removedIn, version)) {
    return { code: "removed-flag", severity: "error", message: MESSAGES.removedFlag(s.component, s.flag, removedIn, replacement), ...where };
  }
  if (deprecatedIn && atOrBefore(deprecatedIn, version)) {
    return { code: "deprecated-flag", severity: "warning", message: MESSAGES.deprecatedFlag(s.component, s.flag, deprecatedIn, removedIn, replacement), ...where };
  }
  return undefined;
}

function checkValues(s: Setting, values: readonly FlagValueRow[], version: string, lineAt: Lines): K8sFinding[] {
  if (!LIST_FLAGS.has(s.flag) || s.value === undefined) return [];
  const out: K8sFinding[] = [];
  for (const item of s.value.split(",")) {
    const name = item.split("=")[0]!.trim();
    const row = values.find((r) => (r[0] === s.component || r[0] === "*") && r[1] === s.flag && r[2] === name);
    if (!row || !atOrBefore(row[3], version)) continue;
    const replacement = row[4];
    out.push({
      code: "removed-flag-value",
      severity: "error",
      message: MESSAGES.removedFlagValue(s.component, s.flag, name, row[3], replacement),
      path: formatPath(s.path),
      line: lineAt(s.path),
      ...(replacement ? { replacement } : {}),
    });
  }
  return out;
}

/** The benchmark for a target: its own, or the newest mapped below it (1.35 uses 1.34's). */
function benchmarkFor(cis: CisData, version: string): CisCheck[] {
  const mapped = Object.keys(cis.versionMapping)
    .filter((v) => atOrBefore(v, version))
    .sort((a, b) => versionRank(b) - versionRank(a))[0];
  return mapped ? (cis.benchmarks[cis.versionMapping[mapped]!] ?? []) : [];
}

/** false: the item fails; undefined: it cannot be judged from the manifest (an absent flag, an op not read). */
function itemPasses(item: CisItem, s: Setting | undefined): boolean | undefined {
  if (!s) return undefined;
  if (item.set === false) return false;
  const value = s.value ?? "true";
  const expected = String(item.value);
  switch (item.op) {
    case "eq":
      return value.toLowerCase() === expected.toLowerCase();
    case "noteq":
      return value.toLowerCase() !== expected.toLowerCase();
    case "nothave":
      return !value.includes(expected);
    case "gte":
      return Number.isNaN(Number(value)) ? undefined : Number(value) >= Number(item.value);
    default:
      return undefined;
  }
}

/** KubeletConfiguration fields that CIS items read through configPath. */
function kubeletConfigSettings(object: Record<string, unknown>, checks: readonly CisCheck[]): Map<string, Setting> {
  const out = new Map<string, Setting>();
  for (const [, , component, , items] of checks) {
    if (component !== "kubelet") continue;
    for (const item of items) {
      const m = item.configPath ? CONFIG_PATH.exec(item.configPath) : null;
      if (!m) continue;
      const path = m[1]!.split(".");
      let v: unknown = object;
      for (const key of path) v = isRecord(v) ? v[key] : undefined;
      if (v !== undefined && v !== null && typeof v !== "object") out.set(item.flag, { component, flag: item.flag, value: String(v), path });
    }
  }
  return out;
}

/** CIS checks failed by a value the manifest sets (kube-bench semantics: binOp "or" fails when every item fails). */
function checkCis(settings: readonly Setting[], config: Map<string, Setting>, checks: readonly CisCheck[], lineAt: Lines): K8sFinding[] {
  const findings: K8sFinding[] = [];
  for (const [id, text, component, binOp, items] of checks) {
    const results = items.map((item) => {
      const s = settings.find((x) => x.component === component && x.flag === item.flag) ?? (component === "kubelet" ? config.get(item.flag) : undefined);
      return { s, pass: itemPasses(item, s) };
    });
    const failed = binOp === "or" ? results.every((r) => r.pass === false) : results.some((r) => r.pass === false);
    const at = results.find((r) => r.pass === false)?.s;
    if (!failed || !at) continue;
    findings.push({
      code: "insecure-setting",
      severity: "warning",
      message: MESSAGES.cisFlag(component, at.flag, at.value, id, text),
      path: formatPath(at.path),
      line: lineAt(at.path),
      details: { rule: "cis-flag" },
    });
  }
  return findings;
}

export function checkFlags(
  object: Record<string, unknown>,
  apiVersion: string,
  kind: string,
  pod: PodSpec | undefined,
  data: Pick<K8sData, "flags" | "flagValues" | "cis">,
  version: string,
  lineAt: Lines,
): K8sFinding[] {
  const settings = [...(pod ? containerSettings(pod) : []), ...configSettings(object, apiVersion, kind)];
  const findings: K8sFinding[] = [];
  for (const s of settings) {
    const named = checkName(s, data.flags, version, lineAt);
    if (named) findings.push(named);
    findings.push(...checkValues(s, data.flagValues, version, lineAt));
  }
  const checks = data.cis ? benchmarkFor(data.cis, version) : [];
  const kubelet = groupOf(apiVersion) === "kubelet.config.k8s.io" && kind === "KubeletConfiguration";
  if (checks.length && (settings.length || kubelet)) {
    findings.push(...checkCis(settings, kubelet ? kubeletConfigSettings(object, checks) : new Map(), checks, lineAt));
  }
  return findings;
}
