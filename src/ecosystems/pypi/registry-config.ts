// The files and settings that choose where pip, uv, poetry, pdm and pipenv fetch packages from
// (index URLs, find-links, trusted hosts): a change to them is a change of supply, which the agent
// door leaves to the user.
import { basename } from "../../core/guards.ts";
import { configSetSettings, optionSettings } from "../registry-commands.ts";
import type { RegistryConfigFiles } from "../types.ts";

const FILE = /(?:^|[\\/])(?:pip\.conf|pip\.ini|uv\.toml|pyproject\.toml|Pipfile|[^\\/]*(?:requirements|constraints)[^\\/]*\.(?:txt|in)|requirements[\\/][^\\/]+\.(?:txt|in))$/i;
/** index-url, extra-index-url, find-links, trusted-host (pip.conf, uv), `url =` of a source table (uv, poetry, pdm, Pipfile), and requirements' options. */
const SETTING = /^\s*(?:(?:index|index-url|index_url|extra-index-url|extra_index_url|find-links|find_links|trusted-host|url)\s*[=:]|(?:-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host)(?:[\s=]|$))/i;
/** A pip.conf value may go on over indented lines (several extra index URLs). */
const CONTINUATION = /^[ \t]+\S/;

const TOOL = /^(?:pip\d*(?:\.\d+)?|uvx?|pipx|pipenv|poetry|pdm)(?:\.exe)?$/i;
const PYTHON = /^(?:python\d*(?:\.\d+)?|py|pypy3?)(?:\.exe)?$/i;
/** Options that choose an index, where packages are found, or the configuration file read for them. */
const OPTION = /^(?:-i|--index-url|--extra-index-url|-f|--find-links|--index|--default-index|--pypi-mirror|--trusted-host|--allow-insecure-host|--config-file)$/;
/** pip's `config set` keys, Poetry's `config repositories.*`, PDM's `config pypi.*`. */
const KEY = /(?:^|\.)(?:index-url|extra-index-url|find-links|trusted-host|index)$|^repositories\.|^pypi\.(?:[\w-]+\.)?url$/;
const VARIABLE =
  /^(?:PIP_(?:INDEX_URL|EXTRA_INDEX_URL|FIND_LINKS|TRUSTED_HOST|CONFIG_FILE|NO_INDEX)|UV_(?:INDEX_URL|EXTRA_INDEX_URL|INDEX|DEFAULT_INDEX|FIND_LINKS|CONFIG_FILE|NO_CONFIG|INSECURE_HOST)|POETRY_REPOSITORIES_\w+|PDM_PYPI_\w*URL|PIPENV_PYPI_MIRROR)$/;

export const pypiRegistryConfig: RegistryConfigFiles = {
  commandSettings(argv) {
    // `python -m pip …` is pip's.
    const start = PYTHON.test(basename(argv[0] ?? "")) && argv[1] === "-m" && TOOL.test(argv[2] ?? "") ? 2 : 0;
    if (!TOOL.test(basename(argv[start] ?? ""))) return [];
    const keys = (key: string) => KEY.test(key);
    // Short options glued to their value (-ihttps://…) as pip reads them.
    const glued = argv.slice(start + 1).flatMap((w) => (/^-[if][^-=]/.test(w) ? [`${w.slice(0, 2)}=${w.slice(2)}`] : []));
    return [
      ...optionSettings(argv, start + 1, (name) => OPTION.test(name)),
      ...glued,
      ...configSetSettings(argv, start + 1, ["config", "set"], keys),
      ...configSetSettings(argv, start + 1, ["config"], (key) => keys(key) && key !== "set"),
      ...configSetSettings(argv, start + 1, ["source", "add"], () => true),
    ];
  },
  isRegistryVariable: (name) => VARIABLE.test(name),
  matches: (file) => FILE.test(file),
  settings(text) {
    const out: string[] = [];
    let open = false;
    for (const line of text.split(/\r?\n/)) {
      if (SETTING.test(line) && !/^\s*[#;]/.test(line)) {
        out.push(line.trim().replace(/\s*([=:])\s*/, "$1"));
        open = true;
      } else if (open && CONTINUATION.test(line) && !/[=:[]/.test(line.trim().slice(0, 1))) out.push(`+${line.trim()}`);
      else open = false;
    }
    return out;
  },
};
