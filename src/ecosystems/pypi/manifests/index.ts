// Every PyPI manifest and lockfile extractor, for `bouncer scan`.
import type { Extractor } from "../../../core/dependency.ts";
import { pdmLockExtractor } from "./pdm-lock.ts";
import { pipfileExtractor, pipfileLockExtractor } from "./pipfile.ts";
import { poetryLockExtractor } from "./poetry-lock.ts";
import { pylockExtractor } from "./pylock.ts";
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
  pylockExtractor,
];

export {
  pdmLockExtractor,
  pipfileExtractor,
  pipfileLockExtractor,
  poetryLockExtractor,
  pylockExtractor,
  pyprojectExtractor,
  requirementsTxtExtractor,
  setupCfgExtractor,
  uvLockExtractor,
};
