// The dashboard: hash routes over the JSON API at ./api/. The access token stays in this tab's
// sessionStorage and goes out as a Bearer header, so the browser never sends it on its own (no CSRF).
import { verdictChart } from "./chart.js";
import { h, show } from "./dom.js";

const TOKEN_KEY = "bouncer-token";
const main = document.getElementById("main");
const sessionBox = document.getElementById("session");
let session = null;
/** A message for the next page shown (e.g. after an action that re-renders the page). */
let flash = null;

class SignInNeeded extends Error {}

async function api(path, options = {}) {
  const headers = { accept: "application/json", "x-bouncer-ui": "1" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`api/${path}`, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const data = await res.json().catch(() => ({ error: `${res.status} ${res.statusText}` }));
  if (res.status === 401) throw new SignInNeeded(data.error ?? "sign in");
  if (!res.ok) throw new Error(data.error ?? `${res.status} ${res.statusText}`);
  return data;
}

// ---- formatting ----

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function verdictBadge(verdict) {
  return h("span", { class: `verdict verdict-${verdict}` }, verdict);
}

function packageHref(ecosystem, name) {
  return `#/package/${encodeURIComponent(ecosystem)}/${encodeURIComponent(name)}`;
}

function packageLink(ecosystem, name, version) {
  return h("a", { href: packageHref(ecosystem, name) }, name, version ? h("span", { class: "version" }, `@${version}`) : null);
}

function notice(kind, text) {
  return h("p", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2)}`;
  control.id = id;
  if (hint) control.setAttribute("aria-describedby", `${id}-hint`);
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("small", { id: `${id}-hint` }, hint) : null);
}

function select(name, options, value) {
  return h(
    "select",
    { name },
    options.map(([v, label]) => h("option", { value: v, selected: v === value }, label)),
  );
}

function decisionsTable(caption, rows, options = {}) {
  if (!rows.length) return notice("info", options.empty ?? "No decisions match.");
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "decisions" },
      h("caption", null, caption),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ["Time", "Door", "Package", "Verdict", "Findings", "Waiver", "Context"].map((c) => h("th", { scope: "col" }, c)),
        ),
      ),
      h(
        "tbody",
        null,
        rows.map((d) =>
          h(
            "tr",
            null,
            h("td", { class: "nowrap" }, when(d.time)),
            h("td", null, d.door),
            h("td", null, h("span", { class: "eco" }, d.ecosystem), " ", packageLink(d.ecosystem, d.name, d.version)),
            h("td", null, verdictBadge(d.verdict)),
            h("td", null, d.findings.filter((f) => f.severity !== "info").map((f) => h("code", { class: "code", title: f.severity }, f.code))),
            h("td", null, d.waiver ? h("code", null, d.waiver) : ""),
            h("td", { class: "context" }, d.context ?? ""),
          ),
        ),
      ),
    ),
  );
}

// ---- views ----

const RANGES = [
  ["1h", "Last hour"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
  ["all", "All time"],
];

async function decisionsView(params) {
  const filters = {
    door: params.get("door") ?? "",
    verdict: params.get("verdict") ?? "",
    ecosystem: params.get("ecosystem") ?? "",
    package: params.get("package") ?? "",
    range: params.get("range") ?? "7d",
    waived: params.get("waived") ?? "",
  };
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter decisions" },
    field("Door", select("door", [["", "Any"], ...session.doors.map((d) => [d, d])], filters.door)),
    field("Verdict", select("verdict", [["", "Any"], ...session.verdicts.map((v) => [v, v])], filters.verdict)),
    field("Ecosystem", select("ecosystem", [["", "Any"], ...session.ecosystems.map((e) => [e, e])], filters.ecosystem)),
    field("Package", h("input", { name: "package", type: "search", value: filters.package, autocomplete: "off", maxlength: "256" }), "exact name, or a purl prefix"),
    field("Time", select("range", RANGES, filters.range)),
    field("Waiver", select("waived", [["", "Any"], ["yes", "Let through by a waiver"], ["no", "No waiver"]], filters.waived)),
    h("div", { class: "field actions" }, h("button", { type: "submit" }, "Apply")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, String(v));
    location.hash = `#/?${q}`;
  });
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
  const [overview, page] = await Promise.all([api("overview"), api(`decisions?${query}`)]);

  const chartTitle = "chart-title";
  const rows = [...page.decisions];
  const tableBox = h("div", null, decisionsTable("Recent decisions, newest first", rows));
  const more = h("button", { type: "button", class: "secondary" }, "Show older decisions");
  let next = page.next;
  more.hidden = next === undefined;
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      const older = await api(`decisions?${query}&before=${encodeURIComponent(next)}`);
      rows.push(...older.decisions);
      next = older.next;
      show(tableBox, decisionsTable("Recent decisions, newest first", rows));
      more.hidden = next === undefined;
    } catch (error) {
      tableBox.append(notice("error", error.message));
    } finally {
      more.disabled = false;
    }
  });

  return [
    h("h1", null, "Decisions"),
    h(
      "div",
      { class: "cards" },
      h(
        "section",
        { class: "card", "aria-labelledby": "blocked-today" },
        h("h2", { id: "blocked-today" }, "Blocked today"),
        h("p", { class: "big", "data-testid": "blocked-count" }, String(overview.today.block)),
        h("p", { class: "muted" }, `${overview.today.warn} warned, ${overview.today.allow} allowed since ${when(overview.todayStart)}`),
        overview.blockedToday.length
          ? h(
              "ul",
              { class: "blocked-list" },
              overview.blockedToday.map((b) => h("li", null, h("span", { class: "eco" }, b.ecosystem), " ", packageLink(b.ecosystem, b.name), ` ×${b.count}`)),
            )
          : null,
      ),
      h(
        "section",
        { class: "card wide", "aria-labelledby": chartTitle },
        h("h2", { id: chartTitle }, `Verdicts per day, last ${overview.days.length} days`),
        verdictChart(overview.days, chartTitle),
      ),
    ),
    h("section", { "aria-labelledby": "recent" }, h("h2", { id: "recent" }, "Recent decisions"), form, tableBox, more),
  ];
}

function waiverScopeText(scope) {
  if (scope.kind === "team") return `team ${scope.team}`;
  if (scope.kind === "project") return `project ${scope.project}`;
  return "everyone";
}

function waiverForm(ecosystem, name, onDone) {
  const admin = session.role === "admin";
  const form = h(
    "form",
    { class: "waiver-form", "aria-label": admin ? "Grant a waiver" : "Request a waiver" },
    field("Version (empty: every version)", h("input", { name: "version", autocomplete: "off", maxlength: "128" })),
    field("Scope", select("scope", session.waiverScopes.map((s) => [s, s === "all" ? "everyone" : s]), "all")),
    field("Project or team (for that scope)", h("input", { name: "scopeValue", autocomplete: "off", maxlength: "200" })),
    field("Why", h("textarea", { name: "reason", required: true, rows: "2", maxlength: "1000" })),
    field("Expires after", select("expiresInHours", [["24", "1 day"], ["168", "7 days"], ["720", "30 days"]], "168")),
    h("div", { class: "field actions" }, h("button", { type: "submit" }, admin ? "Grant waiver" : "Request waiver")),
  );
  const status = h("div", { "aria-live": "polite" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    try {
      const w = await api("waivers", {
        method: "POST",
        body: {
          ecosystem,
          name,
          version: data.version || null,
          scope: data.scope,
          scopeValue: data.scopeValue || null,
          reason: data.reason,
          expiresInHours: Number(data.expiresInHours),
        },
      });
      flash = w.waiver.status === "active" ? `Waiver granted until ${when(w.waiver.expiresAt)}.` : "Waiver requested; an admin decides it in the inbox.";
      form.reset();
      onDone?.();
    } catch (error) {
      if (error instanceof SignInNeeded) return signIn(error.message);
      show(status, notice("error", error.message));
    }
  });
  return [form, status];
}

async function packageView(ecosystem, name) {
  const data = await api(`packages/${encodeURIComponent(ecosystem)}/${encodeURIComponent(name)}`);
  const check = data.check;
  const waiversBox = h("div", null, waiverTable(`Waivers for ${name}`, data.waivers, () => route()));
  return [
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Decisions"), " › ", data.ecosystem),
    h("h1", null, h("span", { class: "eco" }, data.ecosystem), " ", data.name),
    h(
      "section",
      { "aria-labelledby": "now" },
      h("h2", { id: "now" }, "What Bouncer says now"),
      check
        ? [
            h("p", null, verdictBadge(check.verdict), " ", h("code", null, check.purl)),
            check.waiver
              ? notice("info", `Let through by a waiver from ${check.waiver.by} until ${when(check.waiver.expiresAt)}: ${check.waiver.reason}`)
              : null,
            check.findings.length
              ? h(
                  "ul",
                  { class: "findings" },
                  check.findings.map((f) =>
                    h("li", null, h("code", { class: "code" }, f.code), " ", h("span", { class: `sev sev-${f.severity}` }, f.severity), " ", f.message),
                  ),
                )
              : h("p", null, "No findings."),
            check.didYouMean.length
              ? h("p", { class: "dym" }, "Did you mean: ", check.didYouMean.map((n, i) => [i ? ", " : "", packageLink(data.ecosystem, n)]))
              : null,
          ]
        : notice("error", `Could not check it now: ${data.checkError}`),
    ),
    h("section", { "aria-labelledby": "pkg-waivers" }, h("h2", { id: "pkg-waivers" }, "Waivers"), waiversBox, waiverForm(data.ecosystem, data.name, () => route())),
    h(
      "section",
      { "aria-labelledby": "history" },
      h("h2", { id: "history" }, "History across the team"),
      decisionsTable(`Decisions on ${data.name}, newest first`, data.history, { empty: "No decision on record." }),
    ),
  ];
}

function waiverActions(w, refresh) {
  if (session.role !== "admin") return null;
  const act = async (action, body) => {
    try {
      await api(`waivers/${encodeURIComponent(w.id)}/${action}`, { method: "POST", body });
      refresh();
    } catch (error) {
      if (error instanceof SignInNeeded) return signIn(error.message);
      alertBox(error.message);
    }
  };
  const label = `${w.name}${w.version ? `@${w.version}` : ""}`;
  if (w.status === "requested") {
    return h(
      "div",
      { class: "row-actions" },
      h("button", { type: "button", "aria-label": `Approve the waiver for ${label}`, on: { click: () => act("approve", {}) } }, "Approve"),
      h("button", { type: "button", class: "danger", "aria-label": `Deny the waiver for ${label}`, on: { click: () => act("deny", {}) } }, "Deny"),
    );
  }
  if (w.status === "active") {
    return h("button", { type: "button", class: "danger", "aria-label": `Expire the waiver for ${label} now`, on: { click: () => act("revoke", {}) } }, "Expire now");
  }
  return null;
}

function waiverTable(caption, waivers, refresh) {
  if (!waivers.length) return notice("info", "No waivers.");
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "waivers" },
      h("caption", null, caption),
      h(
        "thead",
        null,
        h("tr", null, ["Package", "Scope", "Status", "Why", "Requested", "Decided", "Expires", "Used", "Actions"].map((c) => h("th", { scope: "col" }, c))),
      ),
      h(
        "tbody",
        null,
        waivers.map((w) =>
          h(
            "tr",
            { "data-waiver": w.id },
            h("td", null, h("span", { class: "eco" }, w.ecosystem), " ", packageLink(w.ecosystem, w.name, w.version)),
            h("td", null, waiverScopeText(w.scope)),
            h("td", null, h("span", { class: `status status-${w.status}` }, w.status)),
            h("td", { class: "context" }, w.reason),
            h("td", null, w.requestedBy, h("br"), h("small", null, when(w.createdAt))),
            h("td", null, w.decidedBy ?? "", h("br"), h("small", null, when(w.decidedAt))),
            h("td", { class: "nowrap" }, when(w.expiresAt)),
            h("td", null, w.uses ? `${w.uses}×, last ${when(w.lastUsedAt)}` : "never"),
            h("td", null, waiverActions(w, refresh)),
          ),
        ),
      ),
    ),
  );
}

async function waiversView() {
  const { waivers } = await api("waivers");
  const by = (status) => waivers.filter((w) => status.includes(w.status));
  const refresh = () => route();
  return [
    h("h1", null, "Waivers"),
    h(
      "p",
      { class: "muted" },
      session.role === "admin"
        ? "Approve or deny requests; an active waiver lets one package through until it expires. Known-malicious packages cannot be waived unless the trusted policy allows it."
        : "You can request waivers from a package's page; an admin approves or denies them.",
    ),
    h("section", { "aria-labelledby": "inbox" }, h("h2", { id: "inbox" }, "Inbox"), waiverTable("Requested waivers", by(["requested"]), refresh)),
    h("section", { "aria-labelledby": "active" }, h("h2", { id: "active" }, "Active"), waiverTable("Active waivers", by(["active"]), refresh)),
    h(
      "section",
      { "aria-labelledby": "past" },
      h("h2", { id: "past" }, "Past"),
      waiverTable("Expired, revoked and denied waivers", by(["expired", "revoked", "denied"]), refresh),
    ),
  ];
}

async function integrityView() {
  const v = await api("integrity");
  const ok = v.status === "intact";
  return [
    h("h1", null, "Decision log"),
    h(
      "p",
      { class: `integrity integrity-${v.status}`, "data-testid": "integrity" },
      ok ? "Intact" : v.status === "empty" ? "Empty" : "Broken",
      `: ${v.entries} entries checked ${when(v.checkedAt)}.`,
    ),
    h(
      "dl",
      { class: "facts" },
      h("dt", null, "Last entry"),
      h("dd", null, `${v.head.seq} `, h("code", null, v.head.hash)),
      h("dt", null, "Anchored outside the store"),
      h("dd", null, v.anchored ? "yes (log key or checkpoint)" : "no"),
    ),
    v.problems.length
      ? h("section", null, h("h2", null, "Problems"), h("ol", null, v.problems.map((p) => h("li", null, h("code", null, p.kind), " ", p.message))))
      : null,
    v.notes.length ? h("section", null, h("h2", null, "Notes"), h("ul", null, v.notes.map((n) => h("li", null, n)))) : null,
  ];
}

// ---- session and routing ----

function alertBox(text) {
  main.prepend(notice("error", text));
  main.focus();
}

function signIn(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  session = null;
  show(sessionBox);
  const input = h("input", { type: "password", name: "token", required: true, autocomplete: "off", minlength: "16", maxlength: "512" });
  const form = h(
    "form",
    { class: "signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in"),
    message ? notice("error", message) : null,
    field("Access token (viewer or admin)", input, "Kept in this tab only, sent to this server only."),
    h("button", { type: "submit" }, "Sign in"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value);
    route();
  });
  show(main, form);
  input.focus();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  signIn();
}

async function ensureSession() {
  if (session) return;
  session = await api("session");
  show(
    sessionBox,
    h("span", { class: "role", "data-testid": "role" }, `${session.who} (${session.role})`),
    session.signIn ? h("button", { type: "button", class: "secondary", on: { click: signOut } }, "Sign out") : null,
  );
}

// Each navigation numbered: a slow view that finishes after a newer one is dropped, not shown over it.
let routeSeq = 0;

async function route() {
  const seq = ++routeSeq;
  const shown = location.hash;
  const hash = shown.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query ?? "");
  for (const a of document.querySelectorAll("nav a")) {
    const target = a.getAttribute("href").slice(1);
    if (target === path || (target === "/" && path.startsWith("/package/"))) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  main.setAttribute("aria-busy", "true");
  try {
    await ensureSession();
    const pkg = /^\/package\/([^/]+)\/(.+)$/.exec(path);
    let content;
    if (pkg) content = await packageView(decodeURIComponent(pkg[1]), decodeURIComponent(pkg[2]));
    else if (path === "/waivers") content = await waiversView();
    else if (path === "/integrity") content = await integrityView();
    else content = await decisionsView(params);
    if (seq !== routeSeq) return;
    show(main, flash ? notice("ok", flash) : null, content);
    // What is on screen (tests and assistive tooling can wait for it).
    main.dataset.route = shown;
    flash = null;
    const heading = main.querySelector("h1");
    if (heading) document.title = `${heading.textContent} · Bouncer`;
  } catch (error) {
    if (seq !== routeSeq) return;
    if (error instanceof SignInNeeded) signIn(sessionStorage.getItem(TOKEN_KEY) ? error.message : undefined);
    else show(main, h("h1", null, "Something went wrong"), notice("error", error.message));
  } finally {
    if (seq === routeSeq) main.removeAttribute("aria-busy");
  }
}

window.addEventListener("hashchange", () => {
  route().then(() => main.focus({ preventScroll: true }));
});
route();
