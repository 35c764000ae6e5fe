import assert from "node:assert/strict";
import { test } from "node:test";
import { pick, random } from "../support/fuzz.ts";
import type { InstallCommand } from "../../src/core/dependency.ts";
import { initializerPackage } from "../../src/ecosystems/npm/installers.ts";
import { installerEcosystem, parseInstallCommand } from "../../src/extract/commands.ts";

const parse = (line: string) => parseInstallCommand(line.split(" "));
/** name@version (or spec for nameless sources) and source of each added package. */
const adds = (line: string) =>
  parse(line)?.adds.map((a) => `${a.name ?? a.spec}${a.version ? `@${a.version}` : ""}${a.source === "registry" ? "" : ` (${a.source})`}`);

test("pip: operands, options with values, requirement and constraint files", () => {
  assert.deepEqual(adds("pip install -U requests==2.31 flask[async]>=2"), ["requests@2.31", "flask@>=2"]);
  assert.deepEqual(adds("pip install -i https://x/simple foo"), ["foo"]);
  assert.deepEqual(adds("pip install --index-url=https://x/simple --extra-index-url https://y/simple bar"), ["bar"]);
  assert.deepEqual(adds("pip install -t dir --target dir2 --prefix /opt --root / -f ./wheels baz"), ["baz"]);
  const cmd = parse("pip install -r req.txt -c c.txt -rdev.txt --requirement=r3.txt --no-deps --pre qux")!;
  assert.deepEqual(cmd.requirementFiles, ["req.txt", "dev.txt", "r3.txt"]);
  assert.deepEqual(cmd.constraintFiles, ["c.txt"]);
  assert.deepEqual(cmd.options["no-deps"], true);
  assert.deepEqual(cmd.options.pre, true);
  assert.deepEqual(cmd.adds.map((a) => a.name), ["qux"]);
  // optparse clusters: -Ur file, -qU
  const cluster = parse("pip install -qUr r.txt x")!;
  assert.deepEqual(cluster.requirementFiles, ["r.txt"]);
  assert.deepEqual(cluster.options.upgrade, true);
  assert.deepEqual(adds("pip install -qU x"), ["x"]);
  assert.deepEqual(adds("pip install -r requirements.txt"), []);
  assert.deepEqual(parse("pip install -i https://x/simple foo")!.options["index-url"], ["https://x/simple"]);
});

test("pip: editables, URLs, VCS and paths are marked with their source", () => {
  assert.deepEqual(adds("pip install -e . -e git+https://github.com/a/b#egg=bb ./dist/x.whl ../lib https://h/p-1.0.tar.gz"), [
    ". (path)",
    "bb (git)",
    "./dist/x.whl (path)",
    "../lib (path)",
    "https://h/p-1.0.tar.gz (url)",
  ]);
  assert.equal(parse("pip install -e .")!.adds[0]!.editable, true);
  assert.deepEqual(adds("pip install pkg@https://h/pkg.zip"), ["pkg (url)"]);
  assert.deepEqual(adds("pip install C:\\wheels\\a.whl"), ["C:\\wheels\\a.whl (path)"]);
  const bad = parse("pip install foo,bar")!.adds[0]!;
  assert.equal(bad.name, null);
  assert.ok(bad.error);
});

test("pip spellings: pip3, pip3.12, python -m pip, py -3.11 -m pip, paths to pip", () => {
  for (const line of [
    "pip3 install x",
    "pip3.12 install x",
    "python -m pip install x",
    "python3 -m pip install x",
    "python3.11 -m pip install x",
    "py -3.11 -m pip install x",
    "python -I -m pip install x",
    "/usr/bin/python3 -mpip install x",
    ".venv/bin/pip install x",
    "pip --disable-pip-version-check --proxy http://p:1 install x",
  ]) {
    assert.deepEqual(adds(line), ["x"], line);
    assert.equal(parse(line)!.ecosystem, "pypi");
  }
  assert.equal(parse("pip download x")!.subcommand, "download");
  assert.equal(parse("pip uninstall x"), null);
  assert.equal(parse("pip list"), null);
  assert.equal(parse("python manage.py runserver"), null);
  assert.equal(parse("python -m venv .venv"), null);
});

test("uv, uvx, poetry, pipx, pdm, pipenv", () => {
  const uvAdd = parse("uv add --dev pytest httpx>=0.2")!;
  assert.deepEqual(adds("uv add --dev pytest httpx>=0.2"), ["pytest", "httpx@>=0.2"]);
  assert.equal(uvAdd.dev, true);
  assert.deepEqual(adds("uv add --group lint --index https://x ruff"), ["ruff"]);
  assert.equal(parse("uv add --group lint ruff")!.group, "lint");
  assert.deepEqual(adds("uv pip install --system -p 3.12 ruff"), ["ruff"]);
  assert.deepEqual(parse("uv pip sync requirements.txt")!.requirementFiles, ["requirements.txt"]);
  assert.deepEqual(adds("uv tool install --with rich ruff@0.5"), ["ruff@0.5", "rich"]);
  assert.deepEqual(adds("uvx --from httpie http GET x"), ["httpie"]);
  assert.deepEqual(adds("uvx ruff check ."), ["ruff"]);
  assert.deepEqual(adds("uv tool run --python 3.12 black --check ."), ["black"]);
  assert.deepEqual(adds("uv run --with pandas,numpy script.py"), ["pandas", "numpy"]);
  assert.deepEqual(adds("uv sync"), []);

  const poetry = parse("poetry add --group dev deptry")!;
  assert.deepEqual(poetry.adds.map((a) => a.name), ["deptry"]);
  assert.equal(poetry.dev, true);
  assert.equal(poetry.group, "dev");
  assert.deepEqual(adds("poetry add requests@^2.31 -E socks pendulum@latest"), ["requests@^2.31", "pendulum"]);
  assert.deepEqual(adds("poetry -C app add -D black"), ["black"]);
  assert.equal(parse("poetry -C app add -D black")!.dev, true);
  assert.deepEqual(adds("poetry self add poetry-plugin-export"), ["poetry-plugin-export"]);
  assert.deepEqual(adds("poetry install --with dev"), []);

  assert.deepEqual(adds("pipx install --python python3.12 black"), ["black"]);
  assert.deepEqual(adds("pipx run --spec cowsay-x cowsay hi"), ["cowsay-x"]);
  assert.deepEqual(adds("pipx run cowsay hello world"), ["cowsay"]);
  assert.deepEqual(adds("pipx inject black black-plugin"), ["black-plugin"]);
  assert.deepEqual(adds("pdm add -d -G test pytest"), ["pytest"]);
  assert.equal(parse("pdm add -d pytest")!.dev, true);
  assert.deepEqual(adds("pipenv install --dev requests"), ["requests"]);
});

test("conda and mamba are recognised but are not PyPI", () => {
  for (const line of ["conda install -c conda-forge numpy=1.26", "mamba install -y scipy", "micromamba create -n x python"]) {
    const cmd = parse(line)!;
    assert.equal(cmd.ecosystem, null, line);
  }
  assert.equal(parse("conda install -c conda-forge numpy=1.26")!.adds[0]!.name, "numpy");
});

test("npm: install aliases, options with values, dev and global", () => {
  assert.deepEqual(adds("npm install -g depcheck typescript"), ["depcheck", "typescript"]);
  assert.equal(parse("npm install -g depcheck")!.global, true);
  assert.deepEqual(adds("npm i --registry https://r x"), ["x"]);
  assert.deepEqual(adds("npm i --registry=https://r --prefix ./p -w pkg-a --tag beta x"), ["x"]);
  assert.deepEqual(parse("npm i --registry https://r x")!.options.registry, ["https://r"]);
  const dev: InstallCommand = parse("npm isntall -D typescript@5 @types/node")!;
  assert.deepEqual(dev.adds.map((a) => [a.name, a.version]), [
    ["typescript", "5"],
    ["@types/node", null],
  ]);
  assert.equal(dev.dev, true);
  assert.equal(parse("npm add --save-dev vitest")!.dev, true);
  for (const sub of ["i", "in", "ins", "install", "add", "isntall", "install-test", "it"]) assert.deepEqual(adds(`npm ${sub} x`), ["x"], sub);
  assert.deepEqual(adds("npm --prefix ./p install y"), ["y"]);
  assert.deepEqual(adds("npm install"), []);
  assert.deepEqual(adds("npm install --package-lock-only"), []);
  assert.deepEqual(adds("npm ci"), []);
  assert.equal(parse("npm run build"), null);
  assert.equal(parse("npm test"), null);
  // Unknown long options are flags (as npm treats them), so the next word stays a package.
  assert.deepEqual(adds("npm i --some-new-flag x"), ["x"]);
});

test("npm specs: aliases, git, URLs and paths", () => {
  assert.deepEqual(adds("npm i expressjs/express ./local file:../x https://x.com/a.tgz alias@npm:real@1"), [
    "expressjs/express (git)",
    "./local (path)",
    "file:../x (path)",
    "https://x.com/a.tgz (url)",
    "real@1",
  ]);
  assert.deepEqual(adds("npm i github:a/b#v1 git+ssh://git@github.com/a/b.git"), ["github:a/b#v1 (git)", "git+ssh://git@github.com/a/b.git (git)"]);
});

test("npx, npm exec, pnpm dlx, pnpx, yarn dlx, bunx run a package", () => {
  assert.deepEqual(adds("npx depcheck"), ["depcheck"]);
  assert.deepEqual(adds("npx -y create-react-app my-app"), ["create-react-app"]);
  assert.deepEqual(adds("npx -p @angular/cli ng new app"), ["@angular/cli"]);
  assert.deepEqual(adds("npx --package=typescript --package tsx tsc --init"), ["typescript", "tsx"]);
  assert.deepEqual(adds("npx --yes prettier@3 --write ."), ["prettier@3"]);
  assert.deepEqual(adds("npx -c 'eslint .'"), []);
  assert.equal(parse("npx x")!.runs, true);
  assert.deepEqual(adds("npm exec -- cowsay hi"), ["cowsay"]);
  assert.deepEqual(adds("npm x --package=@scope/tool tool"), ["@scope/tool"]);
  assert.deepEqual(adds("pnpm dlx create-vite my-app"), ["create-vite"]);
  assert.deepEqual(adds("pnpx degit user/repo app"), ["degit"]);
  assert.deepEqual(adds("yarn dlx -p typescript tsc"), ["typescript"]);
  assert.deepEqual(adds("bunx cowsay hi"), ["cowsay"]);
  assert.deepEqual(adds("bun x --bun vite"), ["vite"]);
  assert.deepEqual(adds("bunx -p @biomejs/biome biome lint"), ["@biomejs/biome"]);
});

test("pnpm, yarn and bun installs", () => {
  assert.deepEqual(adds("pnpm add -D vitest"), ["vitest"]);
  assert.equal(parse("pnpm add -D vitest")!.dev, true);
  assert.deepEqual(adds("pnpm install lodash"), ["lodash"]);
  assert.deepEqual(adds("pnpm i"), []);
  assert.deepEqual(adds("pnpm --filter web add -w --registry https://r zod"), ["zod"]);
  assert.deepEqual(adds("yarn add react@18 react-dom"), ["react@18", "react-dom"]);
  assert.deepEqual(adds("yarn add --dev --cwd app jest"), ["jest"]);
  assert.equal(parse("yarn add -D jest")!.dev, true);
  assert.deepEqual(adds("yarn global add serve"), ["serve"]);
  assert.equal(parse("yarn global add serve")!.global, true);
  assert.deepEqual(adds("yarn workspace web add zod"), ["zod"]);
  assert.deepEqual(adds("yarn"), []);
  assert.deepEqual(adds("bun add zod"), ["zod"]);
  assert.deepEqual(adds("bun add -d @types/bun"), ["@types/bun"]);
  assert.equal(parse("bun add -d @types/bun")!.dev, true);
  assert.deepEqual(adds("bun install -p"), []);
  assert.deepEqual(adds("bun i --registry https://r hono"), ["hono"]);
});

test("installs with no operands install the project's manifest and lockfile (issue 8 item 8)", () => {
  const projects = (line: string) => parse(line)?.projects.map((p) => `${p.dir}:${p.files.join(",")}`);
  const npmFiles = ".:package.json,npm-shrinkwrap.json,package-lock.json";
  for (const line of ["npm install", "npm i", "npm ci", "npm update", "npm dedupe", "npm rebuild", "npm link", "npm install -g", "npm ci react"]) {
    assert.deepEqual(projects(line), [npmFiles], line);
  }
  assert.deepEqual(projects("npm install --prefix app"), ["app:package.json,npm-shrinkwrap.json,package-lock.json"]);
  assert.deepEqual(projects("npm install react"), []);
  assert.deepEqual(adds("npm link left-pad"), ["left-pad"]);
  assert.deepEqual(projects("npm update react"), []);
  assert.deepEqual(adds("npm update react"), ["react"]);
  assert.deepEqual(projects("yarn"), [".:package.json,yarn.lock"]);
  assert.deepEqual(projects("yarn --frozen-lockfile"), [".:package.json,yarn.lock"]);
  assert.deepEqual(projects("yarn install --cwd web"), ["web:package.json,yarn.lock"]);
  assert.deepEqual(projects("yarn add react"), []);
  assert.equal(parse("yarn build"), null);
  assert.equal(parse("yarn --version"), null);
  assert.deepEqual(projects("pnpm install"), [".:package.json,pnpm-lock.yaml"]);
  assert.deepEqual(projects("pnpm i -C web"), ["web:package.json,pnpm-lock.yaml"]);
  assert.deepEqual(projects("bun install"), [".:package.json,bun.lock"]);
  assert.deepEqual(projects("bun install hono"), []);
  assert.deepEqual(projects("uv sync"), [".:pyproject.toml,uv.lock"]);
  assert.deepEqual(projects("uv sync --directory svc"), ["svc:pyproject.toml,uv.lock"]);
  assert.deepEqual(projects("poetry install"), [".:pyproject.toml,poetry.lock"]);
  assert.deepEqual(projects("pdm sync"), [".:pyproject.toml,pdm.lock"]);
  assert.deepEqual(projects("pipenv install"), [".:Pipfile,Pipfile.lock"]);
  assert.deepEqual(projects("pipenv install requests"), []);
  assert.deepEqual(projects("pip install ."), [".:pyproject.toml,setup.cfg"]);
  assert.deepEqual(projects("pip install -e ./lib"), ["./lib:pyproject.toml,setup.cfg"]);
  assert.deepEqual(projects("pip install ./dist/x-1.0.tar.gz"), []);
  assert.deepEqual(projects("npm install ./packages/ui"), ["./packages/ui:package.json,npm-shrinkwrap.json,package-lock.json"]);
});

test("runners name the program they start, and shell commands given with -c (issue 8 item 3)", () => {
  assert.deepEqual(parse("npx pnpm add x")!.program, ["pnpm", "add", "x"]);
  assert.deepEqual(parse("npx -p pnpm pnpm add x")!.program, ["pnpm", "add", "x"]);
  assert.deepEqual(parseInstallCommand(["npm", "exec", "-c", "npm install x"])!.calls, ["npm install x"]);
  assert.deepEqual(parseInstallCommand(["npx", "--call=npm i y"])!.calls, ["npm i y"]);
  assert.deepEqual(parse("pnpm dlx -c npm i y")!.calls, ["npm i y"]);
  assert.deepEqual(parse("uvx pip install x")!.program, ["pip", "install", "x"]);
  assert.deepEqual(parse("pipx run pip install x")!.program, ["pip", "install", "x"]);
  assert.deepEqual(parse("uv run --with rich pip install x")!.program, ["pip", "install", "x"]);
});

test("npm pkg set of a dependency key adds the package to the manifest: judged as adding it", () => {
  assert.deepEqual(adds("npm pkg set dependencies.reactt=19.2.0"), ["reactt@19.2.0"]);
  assert.deepEqual(adds("npm pkg set devDependencies[@types/nod]=^20.0.0 scripts.test=jest"), ["@types/nod@^20.0.0"]);
  assert.equal(parse("npm pkg set scripts.test=jest"), null);
  assert.equal(parse("npm pkg get dependencies"), null);
});

test("initializers: npm init / create, yarn create, pnpm create, bun create run create-*", () => {
  assert.deepEqual(adds("npm init vite@latest my-app"), ["create-vite@latest"]);
  assert.deepEqual(adds("npm create @vitejs/app"), ["@vitejs/create-app"]);
  assert.deepEqual(adds("npm init @scope"), ["@scope/create"]);
  assert.deepEqual(adds("npm init -y"), []);
  assert.deepEqual(adds("yarn create next-app"), ["create-next-app"]);
  assert.deepEqual(adds("pnpm create vue@latest"), ["create-vue@latest"]);
  assert.deepEqual(adds("bun create elysia app"), ["create-elysia"]);
  assert.equal(initializerPackage("create-foo"), "create-foo");
  assert.equal(initializerPackage("./local"), null);
});

test("not installers, empty and odd input", () => {
  assert.equal(parseInstallCommand([]), null);
  assert.equal(parse("apt-get install python3-pip"), null);
  assert.equal(parse("brew install node"), null);
  assert.equal(parse("deptry ."), null);
  assert.equal(parse("pip"), null);
  assert.equal(parse("npm"), null);
  assert.equal(parse("pip install")!.adds.length, 0);
  assert.equal(parseInstallCommand(["npm", "install", "--registry"])!.adds.length, 0);
  assert.equal(parseInstallCommand(["constructor", "install", "x"]), null);
  assert.equal(parseInstallCommand(["__proto__"]), null);
  assert.equal(installerEcosystem("/usr/local/bin/pip3"), "pypi");
  assert.equal(installerEcosystem("pnpm"), "npm");
  assert.equal(installerEcosystem("cargo"), null);
});

test("fuzz: random argv never throws; every add points at a real argv word", () => {
  const rand = random(99);
  const words = [
    "pip", "pip3", "python", "-m", "uv", "uvx", "poetry", "pipx", "pdm", "pipenv", "npm", "npx", "pnpm", "pnpx", "yarn",
    "bun", "bunx", "conda", "install", "i", "add", "run", "exec", "dlx", "tool", "pip", "self", "global", "create",
    "init", "workspace", "x", "--", "-", "-r", "-e", "-i", "-p", "-c", "-D", "-g", "-Ur", "-qqU", "--registry",
    "--index-url=", "--with", "--from", "--spec", "--package=", "--group", "__proto__", "constructor", "--__proto__=x",
    "--constructor", "foo", "@s/p@1", "a==1", "b[c]>=2", ".", "./p", "git+https://h/r#egg=e", "npm:x@1", "", "🙂",
  ];
  for (let round = 0; round < 3000; round++) {
    const argv = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => pick(rand, words));
    const cmd = parseInstallCommand(argv);
    if (!cmd) continue;
    for (const add of cmd.adds) {
      assert.ok(add.argIndex > 0 && add.argIndex < argv.length, JSON.stringify({ argv, add }));
      assert.ok(argv[add.argIndex]!.includes(add.spec) || cmd.subcommand === "init" || cmd.subcommand === "create", JSON.stringify({ argv, add }));
    }
  }
});

test("npm family: options written before the subcommand count (pnpm's documented `pnpm --package=x dlx cmd`)", () => {
  assert.deepEqual(adds("pnpm --package=expresss dlx foo"), adds("pnpm dlx --package=expresss foo"));
  assert.deepEqual(adds("pnpm --package expresss dlx foo"), adds("pnpm dlx --package=expresss foo"));
  assert.deepEqual(adds("npm --package=expresss exec -- foo"), adds("npm exec --package=expresss -- foo"));
  assert.ok(adds("pnpm --package=expresss dlx foo")!.some((a) => a.includes("expresss")));
  assert.deepEqual(parse("yarn --cwd app add x")!.options.cwd, ["app"]);
  assert.deepEqual(parse("npm --registry https://r.example/ install x")!.options.registry, ["https://r.example/"]);
});

test("deno: npm: specifiers of add, install and run are npm packages; jsr: ones and plain scripts are not read", () => {
  assert.deepEqual(adds("deno add npm:expresss npm:react@19.2.0 jsr:@std/path"), ["expresss", "react@19.2.0"]);
  assert.deepEqual(adds("deno install -D npm:expresss"), ["expresss"]);
  assert.equal(parse("deno install -D npm:expresss")!.dev, true);
  assert.deepEqual(adds("deno run -A npm:cowsay@1.6.0 hello"), ["cowsay@1.6.0"]);
  assert.equal(parse("deno run -A npm:cowsay hello")!.runs, true);
  assert.deepEqual(parse("deno install")!.projects, [{ dir: ".", files: ["package.json"] }]);
  assert.equal(parse("deno run main.ts"), null);
  assert.equal(parse("deno fmt"), null);
});
