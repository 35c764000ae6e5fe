// Package URLs (https://github.com/package-url/purl-spec), the identifier used everywhere.
import { BouncerError } from "./errors.ts";
export interface Purl {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
  qualifiers: Record<string, string>;
  subpath: string | null;
}

export class PurlError extends BouncerError {
  override name = "PurlError";
}

// Characters the purl spec leaves unencoded in a segment (A-Z a-z 0-9 . - _ ~), by ASCII code: a
// bulk check encodes 100,000 names, and a table costs less than a pattern per character.
const SAFE = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~") SAFE[ch.charCodeAt(0)] = 1;

const utf8 = new TextEncoder();
const escaped = (byte: number) => `%${byte < 16 ? "0" : ""}${byte.toString(16).toUpperCase()}`;

export function encodeSegment(value: string): string {
  // Safe runs are copied as slices (for most names, the whole value is one: then the value itself).
  let out = "";
  let run = 0;
  for (let i = 0; i < value.length; ) {
    const code = value.charCodeAt(i);
    if (code < 0x80 && SAFE[code] === 1) {
      i++;
      continue;
    }
    out += value.slice(run, i);
    if (code < 0x80) {
      out += escaped(code);
      i++;
    } else {
      // One code point (a lone surrogate alone, encoded as U+FFFD is), as its UTF-8 bytes.
      const width = value.codePointAt(i)! > 0xffff ? 2 : 1;
      for (const byte of utf8.encode(value.slice(i, i + width))) out += escaped(byte);
      i += width;
    }
    run = i;
  }
  return run === 0 ? value : out + value.slice(run);
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new PurlError(`bad percent-encoding in "${value}"`);
  }
}

/** decodeSegment without the throw: undefined for bad percent-encoding. */
function tryDecode(value: string): string | undefined {
  const percent = value.indexOf("%");
  if (percent < 0) return value;
  // An encoded scope ("%40babel"), the common case, needs no general decoder.
  if (percent === 0 && value.startsWith("%40") && !value.includes("%", 3)) return `@${value.slice(3)}`;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

// What a type may hold (the type pattern below, lower case only); 2 marks those that may also start it.
const TYPE_CHAR = new Uint8Array(128);
for (const ch of "abcdefghijklmnopqrstuvwxyz.+-") TYPE_CHAR[ch.charCodeAt(0)] = 2;
for (const ch of "0123456789") TYPE_CHAR[ch.charCodeAt(0)] = 1;

/** Decoded namespace segments joined by "/"; undefined for bad percent-encoding. */
function tryDecodeNamespace(namespace: string): string | undefined {
  if (!namespace.includes("/")) return tryDecode(namespace);
  const segments = namespace.split("/").map(tryDecode);
  return segments.includes(undefined) ? undefined : segments.join("/");
}

/**
 * The common shape `pkg:type/[namespace/]name[@version]` (lower-case type, no qualifiers, subpath,
 * empty segments or trailing slash) with string built-ins, without the general parser's regexes and
 * arrays; undefined for anything else, which parsePurl then parses (and reports) the general way.
 */
function parsePlainPurl(input: string): Purl | undefined {
  const slash = input.indexOf("/", 4);
  if (slash <= 4 || TYPE_CHAR[input.charCodeAt(4)] !== 2) return undefined;
  for (let i = 5; i < slash; i++) if (!TYPE_CHAR[input.charCodeAt(i)]) return undefined;
  if (input.includes("?", slash) || input.includes("#", slash) || input.includes("//", slash) || input.endsWith("/")) {
    return undefined;
  }
  let end = input.length;
  let version: string | null = null;
  const at = input.lastIndexOf("@");
  // An "@" in the first position of the last segment is an unencoded npm scope, not a version.
  if (at > slash + 1 && input.charCodeAt(at - 1) !== 0x2f) {
    const decoded = tryDecode(input.slice(at + 1));
    if (decoded === undefined) return undefined;
    version = decoded || null;
    end = at;
  }
  const last = input.lastIndexOf("/", end - 1);
  const name = tryDecode(input.slice(last + 1, end));
  if (name === undefined) return undefined;
  const namespace = last > slash ? tryDecodeNamespace(input.slice(slash + 1, last)) : null;
  if (namespace === undefined) return undefined;
  return { type: input.slice(4, slash), namespace, name, version, qualifiers: {}, subpath: null };
}

/**
 * Longest purl parsed: room for any registry's longest name (npm 214) with a scope, version and
 * qualifiers, while hostile input costs nothing (a few patterns below are not linear on it).
 */
export const MAX_PURL_LENGTH = 4096;

export function parsePurl(input: string): Purl {
  if (input.length > MAX_PURL_LENGTH) throw new PurlError(`a purl has at most ${MAX_PURL_LENGTH} characters (this one has ${input.length})`);
  if (!input.startsWith("pkg:")) throw new PurlError(`a purl starts with "pkg:": ${input}`);
  const plain = parsePlainPurl(input);
  if (plain) return plain;
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

/** formatPurl of a purl with only a type, namespace and name, without building the object (bulk checks make 100,000). */
export function formatNamePurl(type: string, namespace: string | null, name: string): string {
  const ns = namespace ? `${namespace.includes("/") ? namespace.split("/").map(encodeSegment).join("/") : encodeSegment(namespace)}/` : "";
  return `pkg:${type}/${ns}${encodeSegment(name)}`;
}

/** Without listing the keys: most purls have no qualifiers, and bulk checks format 100,000 of them. */
function hasKeys(record: Record<string, string>): boolean {
  for (const _ in record) return true;
  return false;
}

export function formatPurl(purl: Purl): string {
  let out = `pkg:${purl.type}/`;
  if (purl.namespace) out += `${purl.namespace.split("/").map(encodeSegment).join("/")}/`;
  out += encodeSegment(purl.name);
  if (purl.version) out += `@${encodeSegment(purl.version).replace(/%2B/g, "+")}`;
  if (hasKeys(purl.qualifiers)) {
    const keys = Object.keys(purl.qualifiers).sort();
    out += `?${keys.map((k) => `${k}=${encodeSegment(purl.qualifiers[k]!)}`).join("&")}`;
  }
  if (purl.subpath) out += `#${purl.subpath.split("/").map(encodeSegment).join("/")}`;
  return out;
}
