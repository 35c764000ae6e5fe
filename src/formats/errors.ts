// The error every reader of this layer throws on text it cannot parse: the message, and the line
// when it is known (extractors turn it into a problem pointing at that line).
import { BouncerError } from "../core/errors.ts";

export class FormatSyntaxError extends BouncerError {
  override name = "FormatSyntaxError";
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `${message} (line ${line})`);
    this.line = line;
  }
}
