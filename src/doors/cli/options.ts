// The options every engine-backed command takes (their meaning: ./config.ts).
export const COMMON_OPTIONS = {
  offline: { type: "boolean" },
  policy: { type: "string" },
  "data-dir": { type: "string" },
  "npm-registry": { type: "string" },
  "npm-downloads-api": { type: "string" },
  "pypi-url": { type: "string" },
  "log-key": { type: "string" },
} as const;
