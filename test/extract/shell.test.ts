import assert from "node:assert/strict";
import { test } from "node:test";
import { type ShellOptions, splitShellCommands, stripPrompt } from "../../src/extract/shell.ts";
import { pick, random } from "../support/fuzz.ts";
import { BLOWUP_MS } from "../support/bounded.ts";

const argvs = (text: string, options?: ShellOptions) => splitShellCommands(text, options).map((c) => c.argv);

test("operators split simple commands; quotes and escapes are removed", () => {
  assert.deepEqual(argvs(`cd x && pip install -U requests==2.31 "flask[async]>=2" ; npm i -D typescript@5 @types/node`), [
    ["cd", "x"],
    ["pip", "install", "-U", "requests==2.31", "flask[async]>=2"],
    ["npm", "i", "-D", "typescript@5", "@types/node"],
  ]);
  assert.deepEqual(argvs(`a || b | c & d |& e`), [["a"], ["b"], ["c"], ["d"], ["e"]]);
  assert.deepEqual(argvs(`pip install 'a b' "c\\"d" e\\ f "" x"y"'z'`), [["pip", "install", "a b", 'c"d', "e f", "", "xyz"]]);
  assert.deepEqual(argvs(`echo "it's" && pip install q`), [["echo", "it's"], ["pip", "install", "q"]]);
});

test("continuations keep each word's own line; comments end at the line", () => {
  const [cmd] = splitShellCommands("\n\npip install \\\n  foo \\\n  bar # a comment: baz\nnpm i x#y", {});
  assert.deepEqual(cmd!.argv, ["pip", "install", "foo", "bar"]);
  assert.equal(cmd!.line, 3);
  assert.deepEqual(
    cmd!.words.map((w) => w.line),
    [3, 3, 4, 5],
  );
  assert.deepEqual(argvs("npm i x#y # z"), [["npm", "i", "x#y"]]);
  const second = splitShellCommands("a\nb 'multi\nline' c\nd", { startLine: 10 });
  assert.deepEqual(
    second.map((c) => [c.line, c.argv]),
    [
      [10, ["a"]],
      [11, ["b", "multi\nline", "c"]],
      [13, ["d"]],
    ],
  );
});

test("prefixes, env assignments and shell keywords are removed", () => {
  assert.deepEqual(argvs("sudo -H -u root FOO=1 env -i BAR=2 time -p nohup nice -n 5 pip install x"), [["pip", "install", "x"]]);
  assert.deepEqual(argvs("PIP_INDEX_URL=https://x FOO= npm i y"), [["npm", "i", "y"]]);
  assert.deepEqual(argvs("if ! pip install x; then echo no; fi"), [["pip", "install", "x"], ["echo", "no"], ["fi"]]);
  assert.deepEqual(argvs("timeout 60 npm ci"), [["npm", "ci"]]);
  assert.deepEqual(argvs("poetry run pip install a; pipenv run python -m pip install b"), [
    ["pip", "install", "a"],
    ["python", "-m", "pip", "install", "b"],
  ]);
  assert.deepEqual(argvs("(cd x && npm i y)"), [["cd", "x"], ["npm", "i", "y"]]);
  // xargs adds operands it reads from its input: one more, known only when it runs.
  assert.deepEqual(argvs("xargs -n1 npm install -g"), [["npm", "install", "-g", "{}"]]);
  assert.equal(splitShellCommands("xargs -n1 npm install -g")[0]!.words.at(-1)!.dynamic, true);
  // Words that name Object.prototype members are ordinary commands.
  assert.deepEqual(argvs("constructor x; toString run y; __proto__ z"), [["constructor", "x"], ["toString", "run", "y"], ["__proto__", "z"]]);
});

test("bash -c, sh -ec, eval, pwsh -Command and cmd /c are parsed recursively", () => {
  assert.deepEqual(argvs(`bash -c "pip install a && npm i b"`), [["pip", "install", "a"], ["npm", "i", "b"]]);
  assert.deepEqual(argvs(`sh -ec 'pip install "c>=1"'`), [["pip", "install", "c>=1"]]);
  assert.deepEqual(argvs(`sudo bash -lc "sudo -E npm i -g d"`), [["npm", "i", "-g", "d"]]);
  assert.deepEqual(argvs(`eval "pip install e"`), [["pip", "install", "e"]]);
  assert.deepEqual(argvs(`pwsh -Command "pip install C:\\wheels\\f.whl; npm i g"`), [
    ["pip", "install", "C:\\wheels\\f.whl"],
    ["npm", "i", "g"],
  ]);
  assert.deepEqual(argvs(`cmd /c npm install h`), [["npm", "install", "h"]]);
  // The inner command keeps the line of the string.
  const cmds = splitShellCommands(`echo\nbash -c "\npip install i"`);
  assert.deepEqual(cmds.at(-1)!.argv, ["pip", "install", "i"]);
  assert.equal(cmds.at(-1)!.line, 3);
  // Nesting is bounded: deep recursion stops quietly.
  assert.deepEqual(argvs(`${'bash -c "'.repeat(50)}pip install x`), []);
});

test("expansions are kept raw and flagged dynamic; redirections are dropped", () => {
  const [cmd] = splitShellCommands(`pip install $PKG "$(cat x)" \`y\` "\${V}-1" z 2>&1 >/dev/null <in`);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  assert.deepEqual(cmd!.argv, ["pip", "install", "$PKG", "$(cat x)", "`y`", "${V}-1", "z"]);
  assert.deepEqual(
    cmd!.words.map((w) => w.dynamic),
    [false, false, true, true, true, true, false],
  );
  assert.deepEqual(argvs("npm i a &> log.txt; npm i b >> log"), [["npm", "i", "a"], ["npm", "i", "b"]]);
  assert.deepEqual(argvs("diff <(pip freeze) reqs.txt"), [["diff", "<(pip freeze)", "reqs.txt"]]);
});

test("heredoc bodies are skipped, except when a shell reads them", () => {
  assert.deepEqual(argvs("cat <<EOF > file\npip install no\nEOF\npip install yes"), [["cat"], ["pip", "install", "yes"]]);
  assert.deepEqual(argvs("cat <<-'END'\n\tnpm i no\n\tEND\nnpm i yes"), [["cat"], ["npm", "i", "yes"]]);
  const inner = splitShellCommands("bash <<'EOF'\npip install inheredoc\nEOF\n");
  assert.deepEqual(
    inner.map((c) => [c.line, c.argv]),
    [[2, ["pip", "install", "inheredoc"]]],
  );
});

test("prompts and notebook escapes are stripped at line starts", () => {
  const text = [
    "$ npx depcheck",
    "(venv) user@host:~/x$ pip install q",
    "PS C:\\Users\\me> pip install w",
    "C:\\src> npm i v",
    "!pip install nb",
    "%pip install nb2",
    "In [3]: !pip install nb3",
    "(base) $ conda install c",
    "❯ bun add z",
  ].join("\n");
  assert.deepEqual(
    splitShellCommands(text, { prompts: true }).map((c) => [c.line, c.argv]),
    [
      [1, ["npx", "depcheck"]],
      [2, ["pip", "install", "q"]],
      [3, ["pip", "install", "w"]],
      [4, ["npm", "i", "v"]],
      [5, ["pip", "install", "nb"]],
      [6, ["pip", "install", "nb2"]],
      [7, ["pip", "install", "nb3"]],
      [8, ["conda", "install", "c"]],
      [9, ["bun", "add", "z"]],
    ],
  );
  assert.deepEqual(stripPrompt("$ pip install x"), { rest: "pip install x", prompted: true });
  assert.deepEqual(stripPrompt("(foo) bar"), { rest: "(foo) bar", prompted: false });
  assert.deepEqual(stripPrompt("pip install x"), { rest: "pip install x", prompted: false });
});

test("unterminated quotes are literal; without multiline quotes they stay on their line", () => {
  assert.deepEqual(argvs("pip install 'unterminated"), [["pip", "install", "'unterminated"]]);
  assert.deepEqual(argvs("don't do it\npip install a\nisn't it", { multilineQuotes: false }), [
    ["don't", "do", "it"],
    ["pip", "install", "a"],
    ["isn't", "it"],
  ]);
  // The same text as a real script: the quote spans lines, as in bash.
  assert.equal(argvs("don't do it\npip install a\nisn't it", { multilineQuotes: true }).length, 1);
});

test("PowerShell dialect: backtick escapes and continuations, backslash is literal", () => {
  assert.deepEqual(argvs("pip install `\n  C:\\pkgs\\a.whl b", { dialect: "powershell" }), [["pip", "install", "C:\\pkgs\\a.whl", "b"]]);
  assert.deepEqual(argvs('npm i "$env:PKG" c', { dialect: "powershell" }), [["npm", "i", "$env:PKG", "c"]]);
  assert.equal(splitShellCommands('npm i "$env:PKG"', { dialect: "powershell" })[0]!.words[2]!.dynamic, true);
});

test("fuzz: random text never throws and stays fast", () => {
  const rand = random(20261123);
  const pieces = [
    "pip", "install", "npm", "i", " ", "\n", "\\\n", "\\", "'", '"', "`", "$(", "$((", "${", "$", ")", "(", "}", "{",
    "<<", "<<-", "EOF", "<", ">", "&", "|", ";", "#", "bash -c ", "sudo ", "!", "%", "$ ", "PS C:\\> ", "x=1 ", "\t",
    "\u0000", "🙂", "\r\n", "-r", "--", "eval ",
  ];
  const started = performance.now();
  for (let round = 0; round < 400; round++) {
    let text = "";
    const length = Math.floor(rand() * 80);
    for (let k = 0; k < length; k++) {
      text += rand() < 0.1 ? String.fromCharCode(Math.floor(rand() * 0xffff)) : pick(rand, pieces);
    }
    for (const options of [{}, { prompts: true, multilineQuotes: false }, { dialect: "powershell" as const }]) {
      const commands = splitShellCommands(text, options);
      for (const c of commands) {
        assert.equal(c.argv.length, c.words.length);
        assert.ok(c.line >= 1);
      }
    }
  }
  // Hostile shapes that would be quadratic without care.
  const big = 40_000;
  for (const text of ["$(".repeat(big), "${a\n".repeat(big), "'a\n".repeat(big), "`a\n".repeat(big), '"\\'.repeat(big)]) {
    splitShellCommands(text, { multilineQuotes: false });
    splitShellCommands(text);
  }
  assert.ok(performance.now() - started < BLOWUP_MS, `took ${Math.round(performance.now() - started)} ms`);
});
