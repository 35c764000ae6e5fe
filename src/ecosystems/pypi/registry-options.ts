// Where PyPI is configured (light: the CLI reads it at start-up).
import type { RegistryOption } from "../types.ts";
import { DEFAULT_PYPI_URL } from "./pipconf.ts";

export const pypiRegistryOptions: readonly RegistryOption[] = [{ key: "pypi", flag: "pypi-url", env: "BOUNCER_PYPI_URL", defaultUrl: DEFAULT_PYPI_URL, what: "PyPI URL" }];
