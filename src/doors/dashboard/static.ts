// The dashboard's files: plain HTML, CSS and JavaScript from ./assets, read once, served as they are
// (no build step, nothing from another origin).
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

const ASSETS_DIR = path.join(import.meta.dirname, "assets");
/** Far above what these files weigh; a bigger one is a mistake, not something to serve. */
const MAX_ASSET_BYTES = 512 * 1024;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** Every file the dashboard serves, by its path under /ui/ ("" is the page). */
export function loadAssets(dir = ASSETS_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of ["index.html", "app.js", "dom.js", "chart.js", "app.css", "icon.svg"]) {
    const full = path.join(dir, file);
    if (statSync(full).size > MAX_ASSET_BYTES) throw new Error(`the dashboard file ${full} is larger than ${MAX_ASSET_BYTES} bytes`);
    const body = readFileSync(full);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    assets.set(file === "index.html" ? "" : file, { body, type: TYPES[path.extname(file)]!, etag });
  }
  return assets;
}
