/**
 * EKS managed add-on versions against the cluster's Kubernetes minor: EKS refuses a version it does not offer for
 * that minor (CreateAddon/UpdateAddon InvalidParameterException), the mocks accept it. Facts and their limits:
 * model/eks-addon-versions.ts, model/data/eks-addon-versions.json.
 */
import { addonVersionProblem } from "../../model/eks-addon-versions";
import { isAwsChoice, type RecordedResource } from "../mocks";
import type { FidelityFinding } from "./types";
import { UNKNOWN } from "../sdk-values";

const ADDON = "aws:eks/addon:Addon";
const CLUSTER = "eks:index:Cluster";

const known = (value: unknown): value is string => typeof value === "string" && value !== "" && value !== UNKNOWN;

export function checkEksAddonVersions(resources: RecordedResource[]): { rules: number; findings: FidelityFinding[] } {
    const findings: FidelityFinding[] = [];
    const cluster = resources.find((r) => r.type === CLUSTER);
    const minor = cluster?.inputs.version;
    if (!known(minor)) return { rules: 0, findings };
    let rules = 0;
    for (const addon of resources.filter((r) => r.type === ADDON)) {
        const { addonName, addonVersion } = addon.inputs;
        if (!known(addonName) || !known(addonVersion) || isAwsChoice(addonVersion)) continue;
        rules++;
        const problem = addonVersionProblem(addonName, addonVersion, minor);
        if (problem) findings.push({ check: "eks-addons", resource: `${addon.type} "${addon.name}"`, message: problem });
    }
    return { rules, findings };
}
