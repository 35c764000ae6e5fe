// The PyPI protocols, mounted at /pypi/: the simple API at simple/ (PEP 691 JSON or PEP 503 HTML),
// the JSON API at pypi/<name>/json, and package files at files/<name>/<file>.
import { pypi as pypiEco } from "../../ecosystems/pypi/index.ts";
import { normalizePypiName } from "../../ecosystems/pypi/names.ts";
import { withTrailingSlash } from "../../sources/http.ts";
import { blockedRefusal, notFoundRefusal, type Refusal, upstreamRefusal } from "./judge.ts";
import { type Entry, type Pipeline, parseJson, summarizeHidden, type Target } from "./pipeline.ts";
import {
  type FilteredJsonApi,
  type FilteredProject,
  fileDigests,
  filesFromSimpleHtml,
  filesFromSimpleJson,
  filterFiles,
  filterJsonApi,
  negotiateSimple,
  renderJsonApi,
  renderSimpleHtml,
  renderSimpleJson,
  SIMPLE_JSON,
} from "./pypi.ts";
import { badRequest, bodyResponse, decodeSegments, indexRefusal, jsonResponse, notFound, textRefusal, tooLong } from "./responses.ts";
import { type Asking, MAX_FILE_NAME, MAX_PYPI_NAME, type RequestInfo, type RouteGroup, type Upstreams } from "./types.ts";

const SIMPLE_TYPES = [SIMPLE_JSON, "application/json", "text/html", "application/vnd.pypi.simple.v1+html"];

/** Public PyPI serves its files from another origin. */
const KNOWN_FILE_ORIGINS: Record<string, string[]> = { "https://pypi.org": ["https://files.pythonhosted.org"] };

/** The engine's verdict on a served document, for clients and tests to compare with `check`. */
function verdictHeader(entry: Entry<unknown>): Record<string, string> {
  return entry.result ? { "x-bouncer-verdict": entry.result.verdict } : {};
}

/** Where the PyPI route group is served (its simple index; the doctor recognises index URLs pointing at it). */
export const PYPI_HOME = { key: "pypi", label: "PyPI", path: "/pypi/simple/" };

export function pypiRoutes(pipeline: Pipeline, upstreams: Upstreams): RouteGroup {
  const base = withTrailingSlash(upstreams.pypi);
  const target: Target = { base, authorization: upstreams.pypiAuthorization, fileOrigins: KNOWN_FILE_ORIGINS[new URL(base).origin] };
  const simpleKey = (name: string) => `simple\u0000${name}`;
  const jsonKey = (name: string) => `pypi-json\u0000${name}`;

  const simpleEntry = (name: string, context: Asking): Promise<Entry<FilteredProject>> =>
    pipeline.load<FilteredProject>({
      eco: pypiEco,
      key: simpleKey(name),
      name,
      context,
      url: `${base}simple/${encodeURIComponent(name)}/`,
      accept: `${SIMPLE_JSON}, text/html;q=0.1`,
      contentTypes: SIMPLE_TYPES,
      target,
      build(upstream, hide) {
        let raw: ReturnType<typeof filesFromSimpleHtml> | string;
        if (/^text\/html|^application\/vnd\.pypi\.simple\.v1\+html/i.test(upstream.contentType)) {
          raw = filesFromSimpleHtml(upstream.text);
        } else {
          const parsed = parseJson(name, upstream);
          raw = "json" in parsed ? filesFromSimpleJson(name, parsed.json) : "the upstream page is not valid JSON";
        }
        if (typeof raw === "string") return { refusal: upstreamRefusal(name, raw) };
        const project = filterFiles(name, raw, upstream.url, hide);
        if (project.listed > 0 && project.files.length === 0) {
          return { refusal: blockedRefusal(`Bouncer hid every file of ${name}: ${summarizeHidden(project.hidden)}`) };
        }
        return { doc: project };
      },
    });

  const jsonApiEntry = (name: string, context: Asking): Promise<Entry<FilteredJsonApi>> =>
    pipeline.load<FilteredJsonApi>({
      eco: pypiEco,
      key: jsonKey(name),
      name,
      context,
      url: `${base}pypi/${encodeURIComponent(name)}/json`,
      accept: "application/json",
      contentTypes: ["application/json"],
      target,
      build(upstream, hide) {
        const parsed = parseJson(name, upstream);
        if ("refusal" in parsed) return parsed;
        const filtered = filterJsonApi(name, parsed.json, hide, pypiEco.compareVersions);
        return typeof filtered === "string" ? { refusal: upstreamRefusal(name, filtered) } : { doc: filtered };
      },
    });

  const serveSimple = async (request: Request, raw: string, context: Asking): Promise<Response> => {
    const origin = pipeline.publicRoot();
    const name = normalizePypiName(raw);
    if (!pypiEco.checkName(raw).ok) return indexRefusal(request, notFoundRefusal(`"${raw}" is not a valid project name`));
    if (name !== raw) return new Response(null, { status: 301, headers: { location: `${origin}/pypi/simple/${encodeURIComponent(name)}/` } });
    const format = negotiateSimple(request.headers.get("accept"));
    if (!format) return textRefusal({ status: 406, title: "Not Acceptable", reason: "this index serves PEP 691 JSON or PEP 503 HTML" });
    const entry = await simpleEntry(name, context);
    if (entry.refusal || !entry.doc) return indexRefusal(request, entry.refusal!);
    const pypiBase = `${origin}/pypi/`;
    const project = entry.doc;
    const body = pipeline.rendered(entry, `${format}|${pypiBase}`, () =>
      format === "json" ? renderSimpleJson(project, pypiBase, pypiEco.compareVersions) : renderSimpleHtml(project, pypiBase),
    );
    return bodyResponse(body, format === "json" ? SIMPLE_JSON : "text/html; charset=utf-8", { vary: "Accept", ...verdictHeader(entry) });
  };

  const serveJsonApi = async (raw: string, context: Asking): Promise<Response> => {
    const name = normalizePypiName(raw);
    const refuse = (r: Refusal) => jsonResponse(r.status, { message: r.reason }, { "cache-control": "no-store" }, r.title);
    if (!pypiEco.checkName(raw).ok) return refuse(notFoundRefusal(`"${raw}" is not a valid project name`));
    const entry = await jsonApiEntry(name, context);
    if (entry.refusal || !entry.doc) return refuse(entry.refusal!);
    const pypiBase = `${pipeline.publicRoot()}/pypi/`;
    const filtered = entry.doc;
    const body = pipeline.rendered(entry, pypiBase, () => renderJsonApi(filtered, name, pypiBase));
    return bodyResponse(body, "application/json", verdictHeader(entry));
  };

  const serveFile = async (rawName: string, filename: string, context: Asking, info: RequestInfo | undefined): Promise<Response> => {
    const name = normalizePypiName(rawName);
    if (!pypiEco.checkName(rawName).ok) return textRefusal(notFoundRefusal(`"${rawName}" is not a valid project name`));
    const entry = await simpleEntry(name, context);
    if (entry.refusal || !entry.doc) return textRefusal(entry.refusal!);
    const hidden = entry.doc.hidden.get(filename);
    if (hidden) return textRefusal(blockedRefusal(`Bouncer hid ${filename}: ${hidden}`));
    const file = entry.doc.files.find((f) => f.filename === filename);
    if (!file) return textRefusal(notFoundRefusal(`${filename} is not a file of ${name}`));
    const served = {
      eco: pypiEco,
      name,
      version: file.version,
      publishedAt: file.uploadTime,
      context,
      url: file.url,
      digests: fileDigests(file.hashes),
      target,
      label: filename,
    };
    return pipeline.serveFile(served, textRefusal, info);
  };

  const nameTooLong = (raw: string | undefined) => (raw === undefined ? undefined : tooLong("the project name", raw, MAX_PYPI_NAME));

  return {
    prefix: "/pypi/",
    home: PYPI_HOME,
    async handle({ request, rest, context, info }) {
      const path = `/pypi/${rest}`;
      const simple = /^simple\/([^/]+)(\/?)$/.exec(rest);
      if (simple) {
        const raw = decodeSegments(simple[1]!)?.[0];
        if (raw === undefined) return textRefusal({ status: 400, title: "Bad Request", reason: "bad project name" });
        const long = nameTooLong(raw);
        if (long) return textRefusal({ status: 400, title: "Bad Request", reason: long });
        if (!simple[2]) return new Response(null, { status: 301, headers: { location: `${pipeline.publicRoot()}${path}/` } });
        return serveSimple(request, raw, context);
      }
      if (rest === "simple/" || rest === "simple") {
        return textRefusal(notFoundRefusal("the list of every project is not served through Bouncer; ask for a project page"));
      }
      const jsonApi = /^pypi\/([^/]+)\/json\/?$/.exec(rest);
      if (jsonApi) {
        const raw = decodeSegments(jsonApi[1]!)?.[0];
        if (raw === undefined) return notFound("bad project name");
        const long = nameTooLong(raw);
        if (long) return badRequest(long);
        return serveJsonApi(raw, context);
      }
      const file = /^files\/([^/]+)\/([^/]+)$/.exec(rest);
      if (file) {
        const parts = decodeSegments(`${file[1]}/${file[2]}`);
        if (!parts) return notFound("bad file path");
        const long = nameTooLong(parts[0]) ?? tooLong("the file name", parts[1]!, MAX_FILE_NAME);
        if (long) return textRefusal({ status: 400, title: "Bad Request", reason: long });
        return serveFile(parts[0]!, parts[1]!, context, info);
      }
      return undefined;
    },
  };
}
