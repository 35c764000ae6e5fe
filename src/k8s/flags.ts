// Removed and deprecated flags of control-plane components run from a manifest (static pods).
import { MESSAGES } from "./format.ts";
import { formatPath, type Path } from "./schema.ts";
import type { FlagRow, K8sFinding } from "./types.ts";
import { atOrBefore } from "./versions.ts";
import { containersOf, type PodSpec } from "./workloads.ts";

const COMPONENTS = new Set(["kube-apiserver", "kubelet", "kube-controller-manager", "kube-scheduler", "kube-proxy"]);

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

export function checkFlags(pod: PodSpec, flags: readonly FlagRow[], version: string, lineAt: (path: Path) => number | undefined): K8sFinding[] {
  const findings: K8sFinding[] = [];
  for (const { container, path } of containersOf(pod)) {
    const all = tokens(container, path);
    const start = all.findIndex((t) => COMPONENTS.has(t.text.slice(t.text.lastIndexOf("/") + 1)));
    if (start < 0) continue;
    const component = all[start]!.text.slice(all[start]!.text.lastIndexOf("/") + 1);
    for (const t of all.slice(start + 1)) {
      if (!t.text.startsWith("--")) continue;
      const flag = t.text.split("=")[0]!;
      const row = flags.find((r) => r[0] === component && r[1] === flag);
      if (!row) continue;
      const [, , deprecatedIn, removedIn, replacement] = row;
      const where = { path: formatPath(t.path), line: lineAt(t.path), ...(replacement ? { replacement } : {}) };
      if (removedIn && atOrBefore(removedIn, version)) {
        findings.push({ code: "removed-flag", severity: "error", message: MESSAGES.removedFlag(component, flag, removedIn, replacement), ...where });
      } else if (deprecatedIn && atOrBefore(deprecatedIn, version)) {
        findings.push({ code: "deprecated-flag", severity: "warning", message: MESSAGES.deprecatedFlag(component, flag, deprecatedIn, removedIn, replacement), ...where });
      }
    }
  }
  return findings;
}
