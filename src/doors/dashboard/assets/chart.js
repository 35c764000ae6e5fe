// Verdicts over time as an inline SVG of stacked bars (no library), with the same numbers as a table.
import { h, s } from "./dom.js";

const ORDER = ["block", "warn", "allow"];
const W = 720;
const H = 200;
const PAD = { top: 12, right: 12, bottom: 36, left: 44 };

function niceMax(n) {
  if (n <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** days: [{ day: "2026-11-23", allow, warn, block }] oldest first. */
export function verdictChart(days, titleId) {
  const max = niceMax(Math.max(0, ...days.map((d) => d.allow + d.warn + d.block)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(days.length, 1);
  const barW = Math.max(2, step * 0.7);
  const y = (v) => PAD.top + plotH - (v / max) * plotH;
  const grid = [0, max / 2, max].map((v) =>
    s(
      "g",
      { class: "grid" },
      s("line", { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }),
      s("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)),
    ),
  );
  const bars = days.map((d, i) => {
    const x = PAD.left + i * step + (step - barW) / 2;
    let base = 0;
    const parts = ORDER.map((verdict) => {
      const n = d[verdict];
      const rect = s("rect", { class: `bar-${verdict}`, x, width: barW, y: y(base + n), height: y(base) - y(base + n) });
      base += n;
      return n > 0 ? rect : null;
    });
    const label = i % Math.ceil(days.length / 7) === 0 || i === days.length - 1 ? s("text", { x: x + barW / 2, y: H - PAD.bottom + 16, "text-anchor": "middle" }, d.day.slice(5)) : null;
    return s("g", { class: "day" }, s("title", null, `${d.day}: ${d.block} blocked, ${d.warn} warned, ${d.allow} allowed`), ...parts, label);
  });
  const svg = s(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": titleId, class: "chart", preserveAspectRatio: "xMidYMid meet" },
    ...grid,
    ...bars,
  );
  const legend = h(
    "ul",
    { class: "legend" },
    ORDER.map((v) => h("li", null, h("span", { class: `swatch bar-${v}`, "aria-hidden": "true" }), v)),
  );
  const table = h(
    "details",
    null,
    h("summary", null, "The numbers"),
    h(
      "table",
      null,
      h("caption", null, "Decisions per day (UTC)"),
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "Day"), ORDER.map((v) => h("th", { scope: "col" }, v)))),
      h("tbody", null, days.map((d) => h("tr", null, h("th", { scope: "row" }, d.day), ORDER.map((v) => h("td", null, String(d[v])))))),
    ),
  );
  return h("figure", { class: "chart-box" }, svg, legend, table);
}
