// The scan's file systems (issue 8 item 1): the disk one confined to its root, regular files only,
// every read capped; the memory one holding only the snippet it was given.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { diskFs, isRefused, memoryFs, readText } from "../../src/engine/fs.ts";

function layout(): { base: string; project: string } {
  const base = mkdtempSync(path.join(tmpdir(), "fs-"));
  const project = path.join(base, "project");
  mkdirSync(project);
  writeFileSync(path.join(base, "secret.txt"), "secret");
  writeFileSync(path.join(project, "a.txt"), "hello");
  writeFileSync(path.join(project, "big.txt"), "x".repeat(1000));
  return { base, project };
}

test("the disk file system: confined, regular files only, every read capped", () => {
  const { base, project } = layout();
  const fs = diskFs(project);
  assert.equal(readText(fs, path.join(project, "a.txt")), "hello");
  assert.deepEqual(fs.readBytes(path.join(project, "big.txt"), 999), { refused: "larger than 0 MiB" });
  assert.equal((fs.readBytes(path.join(project, "big.txt"), 1000) as Uint8Array).length, 1000);
  assert.deepEqual(fs.readBytes(path.join(base, "secret.txt")), { refused: "outside the scanned folder" });
  assert.deepEqual(fs.readBytes(path.join(project, "..", "secret.txt")), { refused: "outside the scanned folder" });
  symlinkSync("/dev/zero", path.join(project, "zero"));
  assert.deepEqual(fs.readBytes(path.join(project, "zero")), { refused: "a link to outside the scanned folder" });
  // A FIFO inside the root is refused without waiting for a writer.
  execFileSync("mkfifo", [path.join(project, "pipe")]);
  assert.deepEqual(fs.readBytes(path.join(project, "pipe")), { refused: "not a regular file" });
  assert.deepEqual(fs.readBytes(project), { refused: "not a regular file" });
  assert.ok(isRefused(fs.list(base)));
  // The root itself may be anywhere, even where a device is the scanned thing.
  assert.deepEqual(diskFs("/dev").readBytes("/dev/zero"), { refused: "not a regular file" });
});

test("the memory file system holds only what it was given", () => {
  const fs = memoryFs({ "requirements.txt": "flask\n", "sub/x.txt": "y" });
  assert.equal(readText(fs, "/requirements.txt"), "flask\n");
  assert.deepEqual((fs.list("/") as Array<{ name: string }>).map((e) => e.name).sort(), ["requirements.txt", "sub"]);
  assert.deepEqual(fs.stat("/sub"), { kind: "directory", size: 0 });
  assert.deepEqual(fs.readBytes("/etc/passwd"), { refused: "not part of the scanned text" });
  assert.deepEqual(fs.readBytes("/requirements.txt", 3), { refused: "larger than 0 MiB" });
});
