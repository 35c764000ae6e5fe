import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";
import { rmSync } from "node:fs";
import { openStore } from "../../src/store/index.ts";
import { storeContract } from "./contract.ts";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

storeContract("SQLite", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-store-"));
  dirs.push(dir);
  return {
    open: (options = {}) => openStore({ dataDir: dir, ...options }),
    async tamper(seq) {
      const file = path.join(dir, "ledger.jsonl");
      const lines = readFileSync(file, "utf8").split("\n");
      const i = lines.findIndex((l) => l.includes(`"seq":${seq},`));
      lines[i] = lines[i]!.replace(/"verdict":"\w+"/, '"verdict":"block"').replace(/"name":"(\w+)"/, '"name":"$1x"');
      writeFileSync(file, lines.join("\n"));
    },
  };
});
