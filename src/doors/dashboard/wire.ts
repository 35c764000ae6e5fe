// The dashboard of `bouncer serve`: its data from the store and the gate's engine, who asks from
// the serve command's trusted configuration.
import type { EcosystemId } from "../../core/model.ts";
import { ECOSYSTEMS } from "../../ecosystems/index.ts";
import { checkPackages } from "../../engine/check.ts";
import type { Gate } from "../../engine/service.ts";
import type { Door, VerifyOptions } from "../../store/types.ts";
import { createDashboard, type DashboardDeps, type DashboardHandler } from "./index.ts";
import type { DashboardData } from "./types.ts";

/** Every door of the decision log (a Record, so a new door that is not listed here fails the type check). */
const DOORS: Record<Door, true> = { check: true, scan: true, guard: true, proxy: true, mcp: true, ci: true, agent: true };

export function dashboardData(gate: Gate, verify: VerifyOptions = {}): DashboardData {
  const { store } = gate;
  return {
    decisions: store.decisions,
    waivers: store.waivers,
    waiversChanged: () => gate.refresh(),
    verify: () => store.decisions.verify(verify),
    async check(ecosystem, name) {
      const [result] = await checkPackages([gate.request(ecosystem, name, null)], gate.engine);
      if (!result) throw new Error(`the engine returned no result for ${name}`);
      return result;
    },
    canonicalName(ecosystem, name) {
      const request = gate.request(ecosystem, name, null);
      if (request.nameProblem) throw new Error(request.nameProblem);
      return request.name;
    },
  };
}

export interface ServeDashboardOptions {
  gate: Gate;
  /** The log key and checkpoint the integrity page verifies with. */
  verify?: VerifyOptions;
  /** The service's authenticator: tokens, a trusted identity header, or the local user. */
  authenticate: DashboardDeps["authenticate"];
  signIn: boolean;
  clock: () => Date;
}

export function serveDashboard(options: ServeDashboardOptions): DashboardHandler {
  return createDashboard({
    data: dashboardData(options.gate, options.verify),
    authenticate: options.authenticate,
    signIn: options.signIn,
    clock: options.clock,
    ecosystems: [...ECOSYSTEMS.keys()] as EcosystemId[],
    doors: Object.keys(DOORS) as Door[],
  });
}
