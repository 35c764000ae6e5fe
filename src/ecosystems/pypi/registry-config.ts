// The files and settings that choose where pip, uv, poetry, pdm and pipenv fetch packages from
// (index URLs, find-links, trusted hosts): a change to them is a change of supply, which the agent
// door leaves to the user.
import type { RegistryConfigFiles } from "../types.ts";

const FILE = /(?:^|[\\/])(?:pip\.conf|pip\.ini|uv\.toml|pyproject\.toml|Pipfile|[^\\/]*(?:requirements|constraints)[^\\/]*\.(?:txt|in)|requirements[\\/][^\\/]+\.(?:txt|in))$/i;
/** index-url, extra-index-url, find-links, trusted-host (pip.conf, uv), `url =` of a source table (uv, poetry, pdm, Pipfile), and requirements' options. */
const SETTING = /^\s*(?:(?:index|index-url|index_url|extra-index-url|extra_index_url|find-links|find_links|trusted-host|url)\s*[=:]|(?:-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host)(?:[\s=]|$))/i;
/** A pip.conf value may go on over indented lines (several extra index URLs). */
const CONTINUATION = /^[ \t]+\S/;

export const pypiRegistryConfig: RegistryConfigFiles = {
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
