// Package URLs (https://github.com/package-url/purl-spec), the identifier used everywhere.
export interface Purl {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
  qualifiers: Record<string, string>;
  subpath: string | null;
}

export class PurlError extends Error {
  override name = "PurlError";
}

// Characters the purl spec leaves unencoded in a segment.
const SAFE = /[A-Za-z0-9.\-_~]/;

const ALL_SAFE = /^[A-Za-z0-9.\-_~]*$/;

export function encodeSegment(value: string): string {
  if (ALL_SAFE.test(value)) return value;
  let out = "";
  for (const ch of value) {
    if (SAFE.test(ch)) out += ch;
    else for (const byte of new TextEncoder().encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new PurlError(`bad percent-encoding in "${value}"`);
  }
}

export function parsePurl(input: string): Purl {
  if (!input.startsWith("pkg:")) throw new PurlError(`a purl starts with "pkg:": ${input}`);
  let rest = input.slice(4).replace(/^\/+/, "");
  let subpath: string | null = null;
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    subpath = rest
      .slice(hash + 1)
      .split("/")
      .filter((s) => s && s !== "." && s !== "..")
      .map(decodeSegment)
      .join("/");
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const question = rest.indexOf("?");
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split("&")) {
      if (!pair) continue;
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new PurlError(`bad qualifier "${pair}"`);
      const value = decodeSegment(pair.slice(eq + 1));
      if (value) qualifiers[pair.slice(0, eq).toLowerCase()] = value;
    }
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf("/");
  if (slash <= 0) throw new PurlError(`a purl needs a type and a name: ${input}`);
  const type = rest.slice(0, slash).toLowerCase();
  if (!/^[a-z.+-][a-z0-9.+-]*$/.test(type)) throw new PurlError(`bad purl type "${type}"`);
  let path = rest.slice(slash + 1).replace(/\/+$/, "");
  let version: string | null = null;
  const at = path.lastIndexOf("@");
  // An "@" in the first position of the last segment is an unencoded npm scope, not a version.
  if (at > 0 && path[at - 1] !== "/") {
    version = decodeSegment(path.slice(at + 1)) || null;
    path = path.slice(0, at);
  }
  const segments = path.split("/").filter(Boolean).map(decodeSegment);
  const name = segments.pop();
  if (!name) throw new PurlError(`a purl needs a name: ${input}`);
  const namespace = segments.length ? segments.join("/") : null;
  return { type, namespace, name, version, qualifiers, subpath };
}

export function formatPurl(purl: Purl): string {
  let out = `pkg:${purl.type}/`;
  if (purl.namespace) out += `${purl.namespace.split("/").map(encodeSegment).join("/")}/`;
  out += encodeSegment(purl.name);
  if (purl.version) out += `@${encodeSegment(purl.version).replace(/%2B/g, "+")}`;
  const keys = Object.keys(purl.qualifiers).sort();
  if (keys.length) out += `?${keys.map((k) => `${k}=${encodeSegment(purl.qualifiers[k]!)}`).join("&")}`;
  if (purl.subpath) out += `#${purl.subpath.split("/").map(encodeSegment).join("/")}`;
  return out;
}
