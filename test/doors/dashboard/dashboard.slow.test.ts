// The dashboard end to end, as a security team uses it: `bouncer serve` over a local npm registry,
// the real npm client installing through it, and Debian's Chromium (headless, through
// playwright-core) on /ui/. Screenshots of every step are kept under test/.artifacts/dashboard/.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { openStore } from "../../../src/store/index.ts";
import { cliEnvFor } from "../../support/cli-env.ts";
import { FIXED_NOW, type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";
import { type Served, serve } from "../../support/serve.ts";
import { publishNpm } from "../proxy/setup.ts";

const CHROMIUM = "/usr/bin/chromium";
const PROXY = "dashboard-proxy-token-0123456789";
const ADMIN = "dashboard-admin-token-0123456789";
const VIEWER = "dashboard-viewer-token-012345678";
const ARTIFACTS = path.resolve(import.meta.dirname, "../../.artifacts/dashboard");
const XSS = "<img src=x onerror=alert(1)>";
/** Published 5 days before the fixed clock, with few downloads: the default policy blocks it. */
const FRESH = "e2e-fresh-helper";
/** A day and an hour after the fixed clock: a waiver granted for one day has expired. */
const LATER = new Date(Date.parse(FIXED_NOW) + 25 * 3_600_000).toISOString();
const NODE_DIR = path.dirname(process.execPath);

function npmAvailable(): boolean {
  try {
    execFileSync("npm", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}


async function stop(s: Served | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  s.child.kill("SIGTERM");
  await s.exit;
}

describe("the dashboard in Chromium", () => {
  let up: RegistryServer;
  let home: string;
  let env: Record<string, string>;
  let context: BrowserContext;
  let page: Page;
  let served: Served | undefined;
  const problems: string[] = [];
  let shot = 0;

  const screenshot = async (name: string) => {
    const file = path.join(ARTIFACTS, `${String(++shot).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };

  /** npm install through the proxy, as a developer runs it (a fetch as npm does when npm is missing). */
  const install = async (base: string): Promise<{ ok: boolean; output: string }> => {
    const registry = `${base}/npm/`;
    if (!npmAvailable()) {
      const headers = { authorization: `Bearer ${PROXY}`, accept: "application/vnd.npm.install-v1+json" };
      const doc = await fetch(`${registry}${FRESH}`, { headers });
      if (!doc.ok) return { ok: false, output: await doc.text() };
      const meta = (await doc.json()) as { versions: Record<string, { dist: { tarball: string } }> };
      const tarball = await fetch(Object.values(meta.versions)[0]!.dist.tarball, { headers });
      return { ok: tarball.ok, output: `${tarball.status}` };
    }
    const project = mkdtempSync(path.join(home, "npm-"));
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "e2e-project", version: "1.0.0", private: true }));
    writeFileSync(path.join(home, "npmrc"), `${registry.replace(/^http:/, "")}:_authToken=${PROXY}\n`);
    const npmEnv = {
      PATH: `${NODE_DIR}${path.delimiter}${process.env.PATH ?? ""}`,
      HOME: home,
      npm_config_cache: path.join(project, ".cache"),
      npm_config_userconfig: path.join(home, "npmrc"),
      npm_config_globalconfig: path.join(home, "global-npmrc"),
      npm_config_update_notifier: "false",
    };
    const args = ["install", FRESH, "--registry", registry, "--no-audit", "--no-fund", "--ignore-scripts", "--fetch-retries=0", "--no-progress"];
    return new Promise((resolve) => {
      execFile("npm", args, { env: npmEnv, cwd: project, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ ok: !error && existsSync(path.join(project, "node_modules", FRESH, "package.json")), output: `${stdout}\n${stderr}` });
      });
    });
  };

  /** Waits until the view of the current address is on screen (a slower, older view never replaces it). */
  const settled = () =>
    page.waitForFunction(() => {
      // Runs in the page (CSP forbids evaluating a string there).
      const page = globalThis as unknown as { document: { getElementById(id: string): { dataset: Record<string, string> } | null }; location: { hash: string } };
      return page.document.getElementById("main")?.dataset.route === page.location.hash;
    });

  const signIn = async (base: string, token = ADMIN) => {
    await page.goto(`${base}/ui/`);
    await page.evaluate("sessionStorage.clear()");
    await page.reload();
    await page.getByLabel("Access token (viewer or admin)").fill(token);
    await page.keyboard.press("Enter");
    await page.getByTestId("role").waitFor();
  };

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium is not installed at ${CHROMIUM}: the dashboard tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it where apt-get is available)`,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    up = await startRegistryServer();
    publishNpm(up, FRESH, [{ version: "1.0.0", time: "2026-11-18T09:00:00.000Z" }], { downloads: 12 });
    home = mkdtempSync(path.join(tmpdir(), "bouncer-dashboard-e2e-"));
    writeFileSync(path.join(home, "global-npmrc"), "");
    env = {
      ...cliEnvFor(up, home),
      BOUNCER_PROXY_TOKEN: PROXY,
      BOUNCER_ADMIN_TOKEN: ADMIN,
      BOUNCER_VIEWER_TOKEN: VIEWER,
    };
    context = await chromium.launchPersistentContext(path.join(home, "chromium-profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-quic",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1366, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    // Any script error, CSP violation or dialog is a failure of the page.
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !/status of 401/.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    page.on("dialog", (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    console.log(`# dashboard screenshots: ${ARTIFACTS}`);
  });

  after(async () => {
    await context?.close();
    await stop(served);
    await up?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test("a blocked install appears, a viewer asks for a waiver, an admin grants it, the retry passes, and once it expires the next install is blocked again", async () => {
    served = await serve(["--port", "0"], env);
    const first = await install(served.base);
    assert.equal(first.ok, false, first.output);
    assert.match(first.output, /Blocked by Bouncer|403/);

    // The block is on the dashboard: blocked today, in the chart and in the table.
    await signIn(served.base, VIEWER);
    assert.equal(await page.getByTestId("role").textContent(), "viewer-token (viewer)");
    const row = page.locator("table.decisions tbody tr", { hasText: FRESH }).first();
    await row.waitFor();
    assert.match((await row.textContent())!, /proxy.*block.*new-package/);
    assert.notEqual(await page.getByTestId("blocked-count").textContent(), "0");
    assert.equal(await page.locator("svg.chart rect.bar-block").count(), 1);
    await screenshot("blocked-install-on-dashboard");

    // Filters: blocks by the proxy, then a package that has no decision.
    await page.getByLabel("Verdict", { exact: true }).selectOption("block");
    await page.getByLabel("Door", { exact: true }).selectOption("proxy");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/verdict=block/);
    await settled();
    await page.locator("table.decisions tbody tr", { hasText: FRESH }).first().waitFor();
    await page.getByLabel("Package", { exact: true }).fill("left-pad");
    await page.getByLabel("Package", { exact: true }).press("Enter");
    await page.waitForURL(/package=left-pad/);
    await settled();
    await page.getByText("No decisions match.").waitFor();

    // The package page: why it was blocked; the viewer asks for a waiver.
    await page.goto(`${served.base}/ui/#/package/npm/${FRESH}`);
    await page.getByRole("heading", { name: "What Bouncer says now" }).waitFor();
    assert.match((await page.locator(".findings").textContent())!, /new-package/);
    await page.getByLabel("Why").fill("Our own helper, published last week; reviewed by security");
    await page.getByLabel("Expires after").selectOption("24");
    await page.getByRole("button", { name: "Request waiver" }).click();
    await page.getByText("Waiver requested; an admin decides it in the inbox.").waitFor();
    await screenshot("waiver-requested");
    await page.goto(`${served.base}/ui/#/waivers`);
    await page.locator("table.waivers tbody tr", { hasText: FRESH }).waitFor();
    assert.equal(await page.getByRole("button", { name: /Approve/ }).count(), 0, "a viewer cannot approve");

    // The admin approves it in the inbox.
    await signIn(served.base, ADMIN);
    await page.goto(`${served.base}/ui/#/waivers`);
    await page.getByRole("button", { name: `Approve the waiver for ${FRESH}` }).click();
    await page.getByRole("table", { name: "Active waivers" }).getByText(FRESH).waitFor();
    await screenshot("waiver-approved");

    const retried = await install(served.base);
    assert.equal(retried.ok, true, retried.output);

    await page.reload(); // the waivers page is still shown: read it again
    const active = page.locator("table.waivers tbody tr", { hasText: FRESH });
    await active.waitFor();
    assert.match((await active.textContent())!, /active.*[1-9]\d*×, last/, "the waiver was used");
    await screenshot("waiver-used");

    // A day later (another replica on the same store, its clock advanced): the waiver has expired.
    await stop(served);
    served = await serve(["--port", "0"], { ...env, BOUNCER_NOW: LATER });
    const afterExpiry = await install(served.base);
    assert.equal(afterExpiry.ok, false, afterExpiry.output);

    await signIn(served.base);
    await page.goto(`${served.base}/ui/#/waivers`);
    const expired = page.locator("table.waivers tbody tr", { hasText: FRESH });
    await expired.waitFor();
    assert.match((await expired.textContent())!, /expired/);
    await page.goto(`${served.base}/ui/#/package/npm/${FRESH}`);
    const history = page.locator("table.decisions tbody tr");
    await history.first().waitFor();
    const oldestFirst = (await history.locator("td:nth-child(4)").allTextContents()).reverse();
    const runs = oldestFirst.filter((v, i) => v !== oldestFirst[i - 1]);
    assert.deepEqual(runs, ["block", "allow", "block"], "blocked, let through by the waiver, blocked again");
    const waived = await history.filter({ hasText: "allow" }).locator("td:nth-child(6)").allTextContents();
    assert.ok(waived.length > 0 && waived.every((id) => id.length > 0), "each decision the waiver let through names it");
    await screenshot("blocked-again-after-expiry");

    await page.goto(`${served.base}/ui/#/integrity`);
    assert.match((await page.getByTestId("integrity").textContent())!, /^Intact: \d+ entries/);
    await screenshot("integrity");
    assert.deepEqual(problems, []);
  });

  test("a hostile package name is shown as text, never run as markup", async () => {
    // A decision about it as any door records one (an invalid name is still logged, blocked).
    const store = await openStore({ dataDir: env.BOUNCER_HOME!, now: () => new Date(LATER) });
    try {
      await store.decisions.append([
        {
          door: "check",
          purl: "pkg:npm/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
          ecosystem: "npm",
          name: XSS,
          version: null,
          verdict: "block",
          findings: [{ code: "invalid-name", severity: "critical" }],
          policyDigest: "sha256:00",
          context: `<script>alert(2)</script>`,
        },
      ]);
    } finally {
      await store.close();
    }
    served ??= await serve(["--port", "0"], { ...env, BOUNCER_NOW: LATER });
    await signIn(served.base);
    const cell = page.locator("table.decisions tbody tr td a", { hasText: XSS }).first();
    await cell.waitFor();
    assert.equal(await cell.textContent(), XSS);
    assert.equal(await page.locator("main img").count(), 0, "no element was made from the name");
    await page.locator("table.decisions").getByText("<script>alert(2)</script>").waitFor();
    await cell.click();
    await page.getByRole("heading", { name: `npm ${XSS}` }).waitFor();
    assert.equal(await page.locator("main img, main script").count(), 0);
    await screenshot("hostile-name-as-text");
    assert.deepEqual(problems, []);
  });

  test("keyboard only: skip link, navigation and the filter form", async () => {
    served ??= await serve(["--port", "0"], { ...env, BOUNCER_NOW: LATER });
    await signIn(served.base);
    await page.reload();
    await page.getByTestId("role").waitFor();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate("document.activeElement?.textContent"), "Skip to content");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate("document.activeElement?.textContent"), "Decisions");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Waivers", level: 1 }).waitFor();
    await page.goto(`${served.base}/ui/#/`);
    await page.getByRole("search", { name: "Filter decisions" }).waitFor();
    for (const label of ["Door", "Verdict", "Ecosystem", "Package", "Time"]) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `${label} has a label`);
    }
    // The filter form works from the keyboard alone.
    await page.getByLabel("Verdict", { exact: true }).focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate("document.activeElement?.name"), "package");
    await page.keyboard.press("Enter");
    await page.waitForURL(/verdict=allow/);
    await settled();
    assert.ok((await page.locator("table.decisions th[scope=col]").count()) >= 5);
    assert.deepEqual(problems, []);
  });
});
