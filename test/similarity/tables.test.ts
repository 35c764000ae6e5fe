import assert from "node:assert/strict";
import { test } from "node:test";
import { hashString } from "../../src/similarity/edits.ts";
import { HashFilter, HashIndex, ID_LIMIT, packBlock, readStrings, Sections, StoredStrings, StringTable, stringsSection } from "../../src/similarity/tables.ts";

test("a HashIndex finds every id of a hash, in id order", () => {
  const pairs: Array<[number, number]> = [
    [7, 3],
    [7, 1],
    [0xffffffff, 2],
    [0, 5],
    [7, 1],
  ];
  const index = HashIndex.build(Float64Array.from(pairs, ([h, id]) => h * ID_LIMIT + id), pairs.length);
  const idsOf = (h: number) => {
    const out: number[] = [];
    for (let i = index.first(h); i >= 0 && index.keys[i] === h; i++) out.push(index.ids[i]!);
    return out;
  };
  assert.deepEqual(idsOf(7), [1, 3]);
  assert.deepEqual(idsOf(0xffffffff), [2]);
  assert.deepEqual(idsOf(0), [5]);
  assert.deepEqual(idsOf(8), []);
});

test("a StringTable finds keys and key ranges of a string, and checks the key (not only its hash)", () => {
  const table = StringTable.build(
    new Map([
      ["react", [1, 4]],
      ["", [2]],
      ["дом", [3]],
    ]),
  );
  const idsOf = (s: string, start?: number, end?: number) => {
    const e = table.find(s, start, end);
    return e < 0 ? null : [...table.ids.subarray(table.idStarts[e], table.idStarts[e + 1])];
  };
  assert.deepEqual(idsOf("react"), [1, 4]);
  assert.deepEqual(idsOf("preactive", 1, 6), [1, 4]);
  assert.deepEqual(idsOf(""), [2]);
  assert.deepEqual(idsOf("дом"), [3]);
  assert.equal(idsOf("reac"), null);
  assert.equal(idsOf("reactx"), null);
  const set = StringTable.build(new Set(["chart", "stack"]));
  assert.ok(set.has("seachart", 3));
  assert.ok(!set.has("seachart", 2));
  assert.equal(hashString("preactive", 1, 6), hashString("react"));
  // Its keys, read back unit by unit (the trigram codes are built from them).
  assert.equal(table.size, 3);
  const keys = Array.from({ length: table.size }, (_, e) => String.fromCharCode(...Array.from({ length: table.keyLength(e) }, (_, k) => table.keyUnit(e, k))));
  assert.deepEqual(keys, ["react", "", "дом"]);
});

test("blocks round-trip, and a cut or damaged block is refused", () => {
  const names = ["react", "@types/node", "дом", ""];
  const table = StringTable.build(new Map([["a", [1]]]));
  const block = packBlock([Uint32Array.of(1, 2, 3), stringsSection(names), ...table.sections()]);
  const s = Sections.of(block)!;
  assert.deepEqual([...s.next()!], [1, 2, 3]);
  assert.deepEqual(readStrings(s.next(), names.length), names);
  assert.equal(StringTable.read(s)!.find("a"), 0);
  assert.equal(s.next(), undefined);
  assert.equal(Sections.of(block.subarray(0, block.length - 1)), undefined);
  for (let i = 0; i < block.length; i++) {
    const damaged = block.slice();
    damaged[i]! ^= 1 << i % 32;
    assert.equal(Sections.of(damaged), undefined, `word ${i}`);
  }
  assert.equal(readStrings(stringsSection(names), 3), undefined, "another count");
  assert.deepEqual(readStrings(stringsSection([]), 0), []);
});

test("a HashFilter has no false negatives", () => {
  const filter = HashFilter.forCount(1000);
  const hashes = Array.from({ length: 1000 }, (_, i) => hashString(`name-${i}`));
  for (const h of hashes) filter.add(h);
  assert.ok(hashes.every((h) => filter.has(h)));
  const others = Array.from({ length: 10_000 }, (_, i) => hashString(`other-${i}`)).filter((h) => filter.has(h));
  assert.ok(others.length < 1000, `${others.length} false positives`);
});

test("StoredStrings tell an ASCII string from the bytes, decode as written, and refuse starts that do not fit", () => {
  const strings = ["react", "reac", "reactt", "café", "", "ü-x", "z"];
  const section = stringsSection(strings);
  const starts = StoredStrings.startsOf(strings);
  const stored = StoredStrings.read(section, starts, strings.length)!;
  assert.equal(stored.count, strings.length);
  assert.equal(stored.isAscii(0, "react"), true);
  assert.equal(stored.isAscii(0, "reac"), false, "a prefix is another string");
  assert.equal(stored.isAscii(1, "react"), false, "and so is a longer one");
  assert.equal(stored.isAscii(4, ""), true);
  assert.equal(stored.isAscii(3, "cafe"), false);
  assert.equal(stored.isAscii(3, "café"), undefined, "not ASCII: only the decoded strings tell");
  assert.equal(stored.isAscii(6, "z"), true);
  assert.deepEqual(stored.decode(), strings);
  const ascii = ["a", "bc", ""];
  assert.deepEqual(StoredStrings.read(stringsSection(ascii), StoredStrings.startsOf(ascii), 3)!.decode(), ascii);
  assert.deepEqual(StoredStrings.read(stringsSection([]), StoredStrings.startsOf([]), 0)!.decode(), []);
  assert.equal(StoredStrings.read(section, starts, strings.length - 1), undefined);
  assert.equal(StoredStrings.read(section, undefined, strings.length), undefined);
  for (const at of [0, strings.length]) {
    const moved = starts.slice();
    moved[at]! += 1;
    assert.equal(StoredStrings.read(section, moved, strings.length), undefined, `start ${at} moved`);
  }
});
