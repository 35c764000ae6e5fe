// Turning what a user typed (a purl, or name[@version] with an ecosystem) into package requests.
import type { SourceLocation } from "../core/findings.ts";
import type { PackageRequest } from "../core/model.ts";
import { type PurlError, parsePurl } from "../core/purl.ts";
import type { EcosystemModule } from "../ecosystems/types.ts";
import { BouncerError } from "../core/errors.ts";

export class RequestError extends BouncerError {
  override name = "RequestError";
}

export type EcosystemLookup = (id: string) => EcosystemModule | undefined;

/** A request for `name` in an ecosystem; an invalid name keeps its raw form (the engine reports it). */
export function makeRequest(
  eco: EcosystemModule,
  rawName: string,
  version: string | null,
  locations: SourceLocation[] = [],
): PackageRequest {
  const check = eco.checkName(rawName);
  return { ecosystem: eco.id, rawName, name: check.ok ? check.name : rawName, nameProblem: check.ok ? null : check.reason, version, locations };
}

/** Parses one SPEC of `bouncer check`: a purl, or name[@version] when a default ecosystem is given. */
export function parseRequestSpec(
  spec: string,
  ecosystems: EcosystemLookup,
  defaultEcosystem: string | undefined,
  location?: SourceLocation,
): PackageRequest {
  const text = spec.trim();
  const locations = location ? [location] : [];
  if (text.startsWith("pkg:")) {
    let purl: ReturnType<typeof parsePurl>;
    try {
      purl = parsePurl(text);
    } catch (error) {
      throw new RequestError(`${(error as PurlError).message}`);
    }
    const eco = ecosystems(purl.type);
    if (!eco) throw new RequestError(`unsupported package type "${purl.type}" in ${text}`);
    const { name, version } = eco.fromPurl(purl);
    return makeRequest(eco, name, version, locations);
  }
  if (!defaultEcosystem) {
    throw new RequestError(`"${text}" is not a purl; write pkg:npm/NAME or pkg:pypi/NAME, or pass --ecosystem`);
  }
  const eco = ecosystems(defaultEcosystem);
  if (!eco) throw new RequestError(`unknown ecosystem "${defaultEcosystem}"`);
  const { name, version } = eco.splitSpec(text);
  return makeRequest(eco, name, version, locations);
}

/** Reads specs from a file's text: one per line, blank lines and # comments ignored. */
export function eachSpec(text: string, visit: (spec: string, line: number) => void): void {
  let line = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    const next = end < 0 ? text.length + 1 : end + 1;
    if (end < 0) end = text.length;
    else if (end > start && text.charCodeAt(end - 1) === 0x0d) end--; // "\r\n"
    line++;
    let spec = text.slice(start, end);
    if (spec.includes("#")) spec = spec.replace(/\s+#.*$/, "");
    spec = spec.trim();
    if (spec && spec.charCodeAt(0) !== 0x23 /* # */) visit(spec, line);
    start = next;
  }
}
