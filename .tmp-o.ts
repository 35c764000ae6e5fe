const keys = Array.from({length: 5000}, (_, i) => `pkg-${i.toString(36)}@1.${i}.0`);
function a() { const o: Record<string, unknown> = {}; for (const k of keys) o[k] = 1; return o; }
function b() { const e: [string, unknown][] = []; for (const k of keys) e.push([k, 1]); return Object.fromEntries(e); }
function c() { const o: Record<string, unknown> = {}; for (const k of keys) { if (k === "__proto__") Object.defineProperty(o, k, {value: 1}); else o[k] = 1; } return o; }
function d() { const m = new Map(); for (const k of keys) m.set(k, 1); return m; }
function small() { const r = []; for (let i = 0; i < 5000; i++) { const o: Record<string, unknown> = {}; o["resolution"] = 1; o["engines"] = 2; r.push(o); } return r; }
for (const [n, f] of [["assign", a], ["fromEntries", b], ["guarded", c], ["map", d], ["small", small]] as const) {
  const t: number[] = []; for (let i = 0; i < 15; i++) { const s = performance.now(); f(); t.push(performance.now() - s); }
  console.log(n, t.sort((x, y) => x - y)[7].toFixed(2));
}
