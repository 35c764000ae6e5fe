// The one function of @yarnpkg/lockfile (a test oracle) that the differential test calls.
declare module "@yarnpkg/lockfile" {
  export function parse(text: string): { type: string; object: Record<string, { version?: string }> };
}
