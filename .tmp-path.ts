import { npmExtractors } from "./src/ecosystems/npm/manifests/index.ts";
const inputsByName: Record<string, string> = {
    nul: "\u0000".repeat(1000),
    onlyNewlines: "\n".repeat(100_000),
    longLine: "a".repeat(2_000_000),
    manyKeys: `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}": ${i}`).join(",")}}`,
    yamlLike: `lockfileVersion: '9.0'\npackages:\n${Array.from({ length: 20_000 }, (_, i) => `  p${i}@1.0.0: {}`).join("\n")}\n`,
    yarnLike: Array.from({ length: 20_000 }, (_, i) => `p${i}@^1:\n  version "1.0.${i}"\n`).join("\n"),
    surrogates: "\uD800\uDFFF\uDBFF".repeat(10_000),
};
for (const [name, text] of Object.entries(inputsByName)) for (const e of npmExtractors) { const s = performance.now(); e.extract(text, "x"); const ms = performance.now() - s; if (ms > 20) console.log(name, e.id, ms.toFixed(0)); }
