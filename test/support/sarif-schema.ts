// The OASIS SARIF 2.1.0 schema as a validator, for every test that writes SARIF.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Ajv, ValidateFunction } from "ajv";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);

let validator: ValidateFunction | undefined;

/** Compiled once; `errors` tells why the last document failed. */
export function sarifValidator(): ValidateFunction {
  if (validator) return validator;
  const file = path.join(path.dirname(require.resolve("@microsoft/jest-sarif/package.json")), "lib/schemas/sarif-2.1.0-rtm.5.json");
  const ajv = new AjvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv as unknown as Ajv);
  validator = ajv.compile(JSON.parse(readFileSync(file, "utf8")));
  return validator;
}
