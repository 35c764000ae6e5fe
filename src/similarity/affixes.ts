// Affix vocabularies. Data, not logic: ecosystems pick theirs through NameIntelOptions.

export interface AffixLists {
  /** Written with their separator: "js-", "python-". */
  prefixes: readonly string[];
  /** Written with their separator: "-js", ".js". */
  suffixes: readonly string[];
}

/** Generic words models attach to a real name to invent a plausible one ("fastapi-secure-auth-extension"). */
export const GENERIC_SUFFIX_WORDS: readonly string[] = [
  "utils", "util", "utilities", "helper", "helpers", "sdk", "extension", "extensions", "ext", "plugin", "plugins",
  "wrapper", "client", "api", "tools", "tool", "toolkit", "kit", "lite", "secure", "security", "auth", "pro", "core",
  "lib", "library", "plus", "extra", "extras", "addon", "addons", "connector", "integration", "bridge", "adapter",
  "manager", "handler", "service", "server", "mini", "simple", "easy", "fast", "async", "sync", "advanced", "ai",
  "enhanced", "extended", "next", "ng", "v2", "2", "new", "official", "framework", "engine", "builder", "generator",
  "parser", "validator", "middleware", "support", "common", "base", "module", "package", "py", "python", "js", "node",
  "ts", "cli", "ui", "components", "hooks", "db", "orm", "cache", "logger", "config", "toolbox", "suite", "hub",
];

export const GENERIC_PREFIX_WORDS: readonly string[] = [
  "py", "python", "node", "js", "ts", "simple", "easy", "secure", "fast", "auto", "smart", "super", "better", "my",
  "awesome", "async", "lite", "mini", "pro", "open", "official", "advanced", "enhanced", "modern", "quick", "ai",
];

/** npm: language affixes that make a look-alike of a popular name ("react-js", "node-lodash"). */
export const NPM_LANGUAGE_AFFIXES: AffixLists = {
  prefixes: ["js-", "node-", "nodejs-"],
  suffixes: ["-js", ".js", "js", "-node", "-nodejs"],
};

/** PyPI (names already PEP 503-normalised, so "-" is the only separator). */
export const PYPI_LANGUAGE_AFFIXES: AffixLists = {
  prefixes: ["py-", "python-", "py", "python"],
  suffixes: ["-py", "-python", "py"],
};
