// Real package archives built in the test: npm tarballs (gzipped ustar with package/package.json)
// and Python wheels (zip with METADATA, WHEEL and RECORD), small enough to build per test.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { makeZip } from "../sources/feed/make-zip.ts";

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

/** One ustar header block for a regular file. */
function tarHeader(path: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  if (Buffer.byteLength(path) > 100) throw new Error(`tar path too long for this writer: ${path}`);
  header.write(path, 0, "utf8");
  header.write(octal(0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(1_700_000_000, 12), 136);
  header.write("        ", 148); // checksum field counts as spaces while summing
  header.write("0", 156);
  header.write("ustar\u000000", 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return header;
}

/** A gzipped tar of `files` (paths as given, e.g. "package/package.json"). */
export function tarGz(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    blocks.push(tarHeader(path, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** An npm package tarball: package/package.json (name, version and `extra`) and package/index.js. */
export function npmTarball(name: string, version: string, extra: Record<string, unknown> = {}): Buffer {
  const manifest = { name, version, main: "index.js", ...extra };
  return tarGz({
    "package/package.json": `${JSON.stringify(manifest, null, 2)}\n`,
    "package/index.js": `module.exports = ${JSON.stringify(`${name}@${version}`)};\n`,
  });
}

function recordHash(data: Buffer): string {
  return `sha256=${createHash("sha256").update(data).digest("base64url")}`;
}

/** A pure-Python wheel `<dist>-<version>-py3-none-any.whl` with one module. */
export function wheel(project: string, version: string): { filename: string; bytes: Buffer } {
  const dist = project.replace(/[-_.]+/g, "_").toLowerCase();
  const infoDir = `${dist}-${version}.dist-info`;
  const files: Array<[string, Buffer]> = [
    [`${dist}/__init__.py`, Buffer.from(`VERSION = ${JSON.stringify(version)}\n`)],
    [`${infoDir}/METADATA`, Buffer.from(`Metadata-Version: 2.1\nName: ${project}\nVersion: ${version}\nSummary: test wheel\n`)],
    [`${infoDir}/WHEEL`, Buffer.from("Wheel-Version: 1.0\nGenerator: bouncer-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")],
  ];
  const record = [...files.map(([path, data]) => `${path},${recordHash(data)},${data.length}`), `${infoDir}/RECORD,,`, ""].join("\n");
  files.push([`${infoDir}/RECORD`, Buffer.from(record)]);
  return { filename: `${dist}-${version}-py3-none-any.whl`, bytes: makeZip(files.map(([name, data]) => ({ name, data, deflate: true }))) };
}
