// Where workload kinds keep their pod spec, and the containers in it.
import type { Path } from "./schema.ts";
import { isRecord } from "../core/guards.ts";

const TEMPLATE = ["spec", "template", "spec"];

/** Kind -> path of the pod spec. DeploymentConfig is OpenShift's Deployment (apps.openshift.io). */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: TEMPLATE,
  StatefulSet: TEMPLATE,
  DaemonSet: TEMPLATE,
  ReplicaSet: TEMPLATE,
  ReplicationController: TEMPLATE,
  Job: TEMPLATE,
  DeploymentConfig: TEMPLATE,
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** API groups whose workload kinds have a pod spec where POD_SPEC_PATHS says ("" is core). */
const WORKLOAD_GROUPS = new Set(["", "apps", "batch", "extensions", "apps.openshift.io"]);


export const groupOf = (apiVersion: string): string => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "");

export interface PodSpec {
  spec: Record<string, unknown>;
  path: Path;
}

export function podSpecOf(object: Record<string, unknown>, apiVersion: string, kind: string): PodSpec | undefined {
  const path = POD_SPEC_PATHS[kind];
  if (!path || !WORKLOAD_GROUPS.has(groupOf(apiVersion))) return undefined;
  let v: unknown = object;
  for (const key of path) v = isRecord(v) ? v[key] : undefined;
  return isRecord(v) ? { spec: v, path } : undefined;
}

export interface Container {
  container: Record<string, unknown>;
  name: string;
  path: Path;
}

/** Containers and init containers (ephemeral containers are added by kubectl debug, not by manifests). */
export function containersOf(pod: PodSpec): Container[] {
  const out: Container[] = [];
  for (const field of ["initContainers", "containers"]) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isRecord(c)) out.push({ container: c, name: typeof c.name === "string" ? c.name : `#${i}`, path: [...pod.path, field, i] });
    });
  }
  return out;
}
