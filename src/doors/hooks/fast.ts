// The fast path: most shell commands an agent runs install nothing, and must be answered without
// loading the engine (the hook runs before every command). A command passes here only when no word
// in it can name an installer, with quotes and escapes removed first ('n'pm is npm).
const INSTALLER_WORD =
  /(?:^|[^\w.-])(?:pip\d*(?:\.\d+)?|uvx?|npm|npx|pnpm|pnpx|yarn|bunx?|poetry|pipx|pdm|pipenv|conda|mamba|micromamba|python\d*(?:\.\d+)?|py|pypy3?)(?:\.exe|\.cmd|\.bat|\.ps1)?(?![\w-])/i;

/** Whether the command line may run an installer (then the guard's grammar reads it); false means it installs nothing. */
export function mayInstall(command: string): boolean {
  return INSTALLER_WORD.test(command.replace(/["'`\\]/g, ""));
}
