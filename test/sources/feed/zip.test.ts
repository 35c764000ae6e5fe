import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { DEFAULT_ZIP_LIMITS, readZip, ZipError } from "../../../src/sources/feed/zip.ts";
import { makeZip } from "./make-zip.ts";

const limits = { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 1000 };
const json = JSON.stringify({ id: "MAL-1", text: "x".repeat(300) });

describe("zip reader", () => {
  test("reads stored and deflated entries and directories", () => {
    const zip = makeZip([
      { name: "dir/", data: "" },
      { name: "a.json", data: json },
      { name: "b.json", data: json, deflate: true },
    ]);
    const entries = readZip(zip, limits);
    assert.deepEqual(
      entries.map((e) => [e.name, e.isDirectory, e.size]),
      [
        ["dir/", true, 0],
        ["a.json", false, json.length],
        ["b.json", false, json.length],
      ],
    );
    assert.equal(entries[1]!.read().toString(), json);
    assert.equal(entries[2]!.read().toString(), json);
    assert.ok(entries[2]!.compressedSize < json.length);
  });

  test("reads the shared osv.dev-style export", () => {
    const zip = readFileSync(new URL("../../../../shared/feeds/osv-pypi-all.zip", import.meta.url));
    const entries = readZip(zip);
    assert.equal(entries.length, 8773);
    assert.equal(JSON.parse(entries[0]!.read().toString()).id, entries[0]!.name.replace(/\.json$/, ""));
  });

  test("a wrong CRC is refused on read", () => {
    const [e] = readZip(makeZip([{ name: "a.json", data: json, deflate: true, crc: 1234 }]), limits);
    assert.throws(() => e!.read(), /a\.json: CRC mismatch/);
  });

  test("an entry declared larger than the cap is refused before inflating", () => {
    const [e] = readZip(makeZip([{ name: "big.json", data: "y".repeat(5000), deflate: true }]), limits);
    assert.throws(() => e!.read(), /big\.json: declares 5000 bytes, more than the limit of 1000/);
  });

  test("an entry that inflates past its declared size is refused (zip bomb)", () => {
    const [e] = readZip(makeZip([{ name: "bomb.json", data: "0".repeat(200_000), deflate: true, size: 100 }]), limits);
    assert.throws(() => e!.read(), /bomb\.json: inflates to more than its declared size/);
  });

  test("a stored entry whose sizes disagree is refused", () => {
    const [e] = readZip(makeZip([{ name: "a.json", data: json, size: 10 }]), limits);
    assert.throws(() => e!.read(), /stored entry with mismatched sizes/);
  });

  test("truncated archives are refused clearly", () => {
    const zip = makeZip([{ name: "a.json", data: json, deflate: true }, { name: "b.json", data: json, deflate: true }]);
    assert.throws(() => readZip(zip.subarray(0, zip.length - 30), limits), (e: unknown) => {
      assert.ok(e instanceof ZipError);
      assert.match(e.message, /truncated/);
      return true;
    });
    assert.throws(() => readZip(zip.subarray(0, 10), limits), /not a zip archive/);
    // The end record survives but bytes before it are missing: the directory points past them.
    const holed = Buffer.concat([zip.subarray(0, 40), zip.subarray(80)]);
    assert.throws(() => readZip(holed, limits), /truncated or damaged zip \(central directory out of bounds\)/);
  });

  test("the declared entry count must match the directory", () => {
    const zip = makeZip([{ name: "a.json", data: json }], { entryCount: 3 });
    assert.throws(() => readZip(zip, limits), /central directory entry 2 of 3 is unreadable/);
  });

  test("zip64 and encrypted entries are refused with a clear reason", () => {
    const zip = makeZip([{ name: "a.json", data: json }]);
    zip.writeUInt16LE(0xffff, zip.length - 12);
    assert.throws(() => readZip(zip, limits), /zip64 archives are not supported/);
    const [e] = readZip(makeZip([{ name: "a.json", data: json, flags: 0x801 }]), limits);
    assert.throws(() => e!.read(), /encrypted entries are not supported/);
  });

  test("a total expansion above the cap is refused", () => {
    const zip = makeZip([{ name: "a.json", data: json }, { name: "b.json", data: json }]);
    assert.throws(() => readZip(zip, { ...limits, maxTotalBytes: json.length + 1 }), /expands to more than/);
  });
});
