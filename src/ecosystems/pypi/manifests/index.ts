// Every PyPI manifest and lockfile extractor, for `bouncer scan`.
import type { Extractor } from "../../../extract/types.ts";
import { pdmLockExtractor } from "./pdm-lock.ts";
import { pipfileExtractor, pipfileLockExtractor } from "./pipfile.ts";
import { poetryLockExtractor } from "./poetry-lock.ts";
import { pyprojectExtractor } from "./pyproject.ts";
import { requirementsTxtExtractor } from "./requirements.ts";
import { setupCfgExtractor } from "./setup-cfg.ts";
import { uvLockExtractor } from "./uv-lock.ts";

export const pypiExtractors: Extractor[] = [
  requirementsTxtExtractor,
  pyprojectExtractor,
  poetryLockExtractor,
  pipfileExtractor,
  pipfileLockExtractor,
  uvLockExtractor,
  pdmLockExtractor,
  setupCfgExtractor,
];

export {
  pdmLockExtractor,
  pipfileExtractor,
  pipfileLockExtractor,
  poetryLockExtractor,
  pyprojectExtractor,
  requirementsTxtExtractor,
  setupCfgExtractor,
  uvLockExtractor,
};
