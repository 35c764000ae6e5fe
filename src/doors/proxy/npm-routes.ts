// The npm registry protocol, mounted at /npm/: package documents (full and abbreviated), single
// versions, tarballs. Scoped packages go to the registry configured for their scope.
import { npm as npmEco } from "../../ecosystems/npm/index.ts";
import { NPM_MAX_NAME_LENGTH } from "../../ecosystems/npm/names.ts";
import { npmDocumentPath } from "../../ecosystems/npm/registry.ts";
import { npmRouteFor } from "../../ecosystems/npm/routing.ts";
import { blockedRefusal, upstreamRefusal } from "./judge.ts";
import {
  ABBREVIATED_TYPE,
  type FilteredNpmDocument,
  filterNpmDocument,
  renderNpmDocument,
  renderNpmVersion,
  versionFromTarballName,
  wantsAbbreviated,
} from "./npm.ts";
import { type Entry, type Pipeline, parseJson, summarizeHidden, type Target } from "./pipeline.ts";
import { bodyResponse, badRequest, decodeSegments, jsonResponse, notFound, npmRefusal, statusText, tooLong } from "./responses.ts";
import { type Asking, MAX_FILE_NAME, type RequestInfo, type RouteGroup, type Upstreams } from "./types.ts";

const DOCUMENT_TYPES = ["application/json", "+json"];

/** Where the npm route group is served (the doctor recognises a registry URL pointing at it). */
export const NPM_HOME = { key: "npm", label: "npm", path: "/npm/" };

export function npmRoutes(pipeline: Pipeline, upstreams: Upstreams): RouteGroup {
  const fallback = { baseUrl: upstreams.npm, authorization: upstreams.npmAuthorization };
  // The engine's rule (src/ecosystems/npm/routing.ts): what is served comes from where it was checked.
  const targetOf = (name: string): Target => {
    const route = npmRouteFor(name, fallback, upstreams.npmScopes);
    return { base: route.baseUrl, authorization: route.authorization };
  };

  const keyOf = (name: string) => `npm\u0000${name}`;

  const entryOf = (name: string, context: Asking): Promise<Entry<FilteredNpmDocument>> => {
    const target = targetOf(name);
    return pipeline.load<FilteredNpmDocument>({
      eco: npmEco,
      key: keyOf(name),
      name,
      context,
      url: target.base + npmDocumentPath(name),
      accept: "application/json",
      contentTypes: DOCUMENT_TYPES,
      target,
      build(upstream, hide, judgement) {
        const parsed = parseJson(name, upstream);
        if ("refusal" in parsed) return parsed;
        const filtered = filterNpmDocument(name, parsed.json, hide);
        if (typeof filtered === "string") return { refusal: upstreamRefusal(name, filtered) };
        if (filtered.listed > 0 && filtered.tarballs.size === 0) {
          return { refusal: blockedRefusal(`Bouncer hid every version of ${name}: ${summarizeHidden(filtered.hidden)}`) };
        }
        const notices: string[] = [];
        // Version age is the proxy's to enforce (hidden versions), so new-version is no news here.
        const { result } = judgement;
        const warnings = result.findings.filter((f) => f.severity !== "info" && f.code !== "new-version");
        if (result.verdict === "warn" && warnings.length) {
          notices.push(`Bouncer warns about ${name}: ${warnings.map((f) => `${f.code} (${f.message})`).join("; ")}`);
        }
        if (filtered.hidden.size) notices.push(`Bouncer hid ${name}@${summarizeHidden(filtered.hidden)}`);
        return { doc: filtered, notice: notices.length ? statusText(notices.join(" | ")) : undefined };
      },
    });
  };

  const serveDocument = async (request: Request, name: string, npmBase: string, context: Asking): Promise<Response> => {
    const entry = await entryOf(name, context);
    if (entry.refusal || !entry.doc) return npmRefusal(entry.refusal!);
    const abbreviated = wantsAbbreviated(request.headers.get("accept"));
    const body = pipeline.rendered(entry, `${abbreviated}|${npmBase}`, () => renderNpmDocument(entry.doc!, abbreviated, npmBase));
    const headers: Record<string, string> = { vary: "Accept", "x-bouncer-verdict": entry.result!.verdict };
    // npm prints npm-notice only for answers it does not store in its cache.
    if (entry.notice) Object.assign(headers, { "npm-notice": entry.notice, "cache-control": "no-store" });
    return bodyResponse(body, abbreviated ? ABBREVIATED_TYPE : "application/json", headers);
  };

  const serveVersion = async (name: string, versionOrTag: string, npmBase: string, context: Asking): Promise<Response> => {
    const entry = await entryOf(name, context);
    if (entry.refusal || !entry.doc) return npmRefusal(entry.refusal!);
    const hidden = entry.doc.hidden.get(versionOrTag);
    if (hidden) return npmRefusal(blockedRefusal(`Bouncer hid ${name}@${versionOrTag}: ${hidden}`));
    const body = renderNpmVersion(entry.doc, versionOrTag, npmBase);
    return body ? bodyResponse(body, "application/json") : notFound(`${name}@${versionOrTag} is not in this registry`);
  };

  const serveTarball = async (name: string, file: string, context: Asking, info: RequestInfo | undefined): Promise<Response> => {
    const version = versionFromTarballName(name, file);
    if (!version) return notFound(`${file} is not a tarball of ${name}`);
    const entry = await entryOf(name, context);
    if (entry.refusal || !entry.doc) return npmRefusal(entry.refusal!);
    const hidden = entry.doc.hidden.get(version);
    if (hidden) return npmRefusal(blockedRefusal(`Bouncer hid ${name}@${version}: ${hidden}`));
    const tarball = entry.doc.tarballs.get(version);
    if (!tarball) return notFound(`${name}@${version} is not in this registry`);
    const served = {
      eco: npmEco,
      name,
      version,
      publishedAt: entry.doc.times.get(version),
      context,
      url: tarball.url,
      digests: tarball.digests,
      target: targetOf(name),
      label: `${name}@${version}`,
    };
    return pipeline.serveFile(served, npmRefusal, info);
  };

  return {
    prefix: "/npm/",
    home: NPM_HOME,
    async handle({ request, rest, context, info }) {
      const npmBase = `${pipeline.publicRoot()}/npm/`;
      const segments = decodeSegments(rest);
      if (!segments?.[0]) return notFound("no package named");
      if (segments[0] === "-") {
        if (segments[1] === "ping") return jsonResponse(200, {});
        return notFound(`/npm/${rest} is not served through Bouncer`);
      }
      // "@scope/name" arrives as one segment (encoded slash) or two.
      const scopedPair = !segments[0].includes("/") && segments[0].startsWith("@") && segments.length >= 2;
      const name = scopedPair ? `${segments[0]}/${segments[1]}` : segments[0];
      const more = segments.slice(scopedPair ? 2 : 1);
      const long = tooLong("the package name", name, NPM_MAX_NAME_LENGTH) ?? tooLong("the path segment", more.at(-1) ?? "", MAX_FILE_NAME);
      if (long) return badRequest(long);
      if (npmDocumentPath(name) === null) return notFound(`"${name}" cannot be an npm package name`);
      if (more.length === 0) return serveDocument(request, name, npmBase, context);
      if (more.length === 2 && more[0] === "-") return serveTarball(name, more[1]!, context, info);
      if (more.length === 1 && more[0]) return serveVersion(name, more[0], npmBase, context);
      return notFound(`/npm/${rest} is not served through Bouncer`);
    },
  };
}
