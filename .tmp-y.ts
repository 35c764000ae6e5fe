import { parseYamlDocuments } from "./src/ecosystems/npm/manifests/yaml-lite.ts";
const samples = [
    "a: 1\nb: '2'\nc: \"3\\t\"\nd: ~\ne: true\nf: 1.5\ng: 0x1F\nh: 1.2.3\ni: -7\nj: .inf\n",
    "k:\n  - x\n  - 'y'\n  -\n    z\nl: []\nm: {}\n",
    "n:\n- a\n- b\no: [a, 'b, c', {d: e}]\np: {q: r, s: [1, 2], t: 'u''v'}\n",
    "'quoted key': 1\n\"dq: key\": 2\nfile:..: 3\n/a/1.0.0_b@2.0.0: x\nurl: https://x.y/z#a\n",
    "# comment\na: b # trailing\n\nc: 'd # not a comment'\n---\nsecond: doc\n",
    "resolution: {integrity: sha512-ab+c/d==, tarball: file:x.tgz}\nengines: {node: ^12 || >=14}\n",
    "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
  ];
for (const t of samples) { try { parseYamlDocuments(t, {engine: "fast"}); } catch (e) { console.log(JSON.stringify(t), e.message); } }
