// The dashboard over node:http: /ui and /ui/... through the service's one adapter
// (../service/node-http.ts), with the API's small bodies read whole up to the API's own limit.
import { type NodeListener, nodeAdapter } from "../service/node-http.ts";
import { MAX_BODY } from "./api/json.ts";
import { type DashboardHandler, isDashboardPath } from "./index.ts";

/** Sends /ui and /ui/... to the dashboard, everything else to `next` (the proxy). */
export function withDashboard(handler: DashboardHandler, next: NodeListener): NodeListener {
  const dashboard = nodeAdapter(handler, { maxBody: MAX_BODY, failure: "the dashboard failed\n" });
  return (req, res) => {
    const pathname = (req.url ?? "/").split("?", 1)[0]!;
    (isDashboardPath(pathname) ? dashboard : next)(req, res);
  };
}
