// CycloneDX 1.6 JSON: every judged package as a component, its verdict and findings as properties.
import { createHash } from "node:crypto";
import type { PackageResult, Report } from "../core/model.ts";

/** A UUID derived from the content, so the same report gives the same BOM. */
function contentUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function component(r: PackageResult) {
  const scoped = /^(@[^/]+)\/(.+)$/.exec(r.name);
  const properties = [
    { name: "bouncer:verdict", value: r.verdict },
    ...r.findings.map((f) => ({ name: `bouncer:finding:${f.code}`, value: `${f.severity}: ${f.message}` })),
    ...r.didYouMean.map((d) => ({ name: "bouncer:didYouMean", value: d })),
    ...r.locations.map((l) => ({ name: "bouncer:location", value: `${l.file}${l.line ? `:${l.line}` : ""}` })),
  ];
  return {
    type: "library",
    "bom-ref": `${r.purl}#${r.locations[0]?.file ?? ""}`,
    ...(scoped ? { group: scoped[1], name: scoped[2] } : { name: r.name }),
    ...(r.version ? { version: r.version } : {}),
    purl: r.purl,
    properties,
  };
}

export function renderCycloneDx(report: Report, options: { now?: Date; version?: string } = {}): string {
  const components = report.results.map(component);
  const seen = new Set<string>();
  for (const c of components) {
    let ref = c["bom-ref"];
    for (let i = 2; seen.has(ref); i++) ref = `${c["bom-ref"]}~${i}`;
    c["bom-ref"] = ref;
    seen.add(ref);
  }
  const bom = {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${contentUuid(JSON.stringify(report.results))}`,
    version: 1,
    metadata: {
      ...(options.now ? { timestamp: options.now.toISOString() } : {}),
      tools: { components: [{ type: "application", name: "bouncer", version: options.version ?? "0.1.0" }] },
      properties: [
        { name: "bouncer:summary:block", value: String(report.summary.block) },
        { name: "bouncer:summary:warn", value: String(report.summary.warn) },
        { name: "bouncer:summary:allow", value: String(report.summary.allow) },
        ...report.notEvaluated.map((n) => ({ name: "bouncer:notEvaluated", value: `${n.file}: ${n.reason}` })),
      ],
    },
    components,
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
}
