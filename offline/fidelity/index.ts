/**
 * The fidelity checks of the offline plan: what the mock runtime accepts but the real engine, AWS or a pinned
 * chart would refuse or silently ignore, checked over the recorded resources against upstream facts kept as
 * dated data (offline/data). Each check is importable on its own; this runs them all for one plan.
 */
import type { RecordedResource } from "../mocks";
import { checkAddonSettings } from "./addons";
import { checkApplicationConfig } from "./app-config";
import { checkAwsInputConstraints } from "./aws-inputs";
import { checkAwsApiRules } from "./aws-api";
import { checkEksAddonVersions } from "./eks-addon-versions";
import { checkHelmValues } from "./helm-values";
import { checkIamDocuments } from "./iam";
import { checkKubernetesObjects } from "./kubernetes";
import type { FidelityFinding } from "./types";

export type { FidelityFinding } from "./types";

export interface FidelityReport {
    /** How much each check looked at. */
    checked: { kubernetesObjects: number; kubernetesVersion: string; helmReleases: number; iamDocuments: number; addonRules: number; awsApiRules: number; awsInputRules: number; eksAddons: number; applicationConfigs: number };
    findings: FidelityFinding[];
    elapsedMs: number;
}

export async function checkFidelity(resources: RecordedResource[]): Promise<FidelityReport> {
    const started = process.hrtime.bigint();
    const kubernetes = checkKubernetesObjects(resources);
    const helm = checkHelmValues(resources);
    const addons = checkAddonSettings(resources);
    const iam = await checkIamDocuments(resources);
    const awsApi = checkAwsApiRules(resources);
    const eksAddons = checkEksAddonVersions(resources);
    const awsInputs = checkAwsInputConstraints(resources);
    const applications = checkApplicationConfig(resources);
    return {
        checked: { kubernetesObjects: kubernetes.objects, kubernetesVersion: kubernetes.kubernetesVersion, helmReleases: helm.releases, iamDocuments: iam.documents, addonRules: addons.rules, awsApiRules: awsApi.rules, awsInputRules: awsInputs.rules, eksAddons: eksAddons.rules, applicationConfigs: applications.applications },
        findings: [...kubernetes.findings, ...helm.findings, ...addons.findings, ...iam.findings, ...awsApi.findings, ...awsInputs.findings, ...eksAddons.findings, ...applications.findings],
        elapsedMs: Number(process.hrtime.bigint() - started) / 1e6,
    };
}

/** The plan's "Fidelity checks" section. */
export function renderFidelityReport(report: FidelityReport): string {
    const c = report.checked;
    const lines = [
        `Fidelity checks: ${c.kubernetesObjects} Kubernetes objects against Kubernetes ${c.kubernetesVersion} and the pinned CRDs, ` +
            `${c.helmReleases} Helm values files against their charts, ${c.iamDocuments} IAM documents against the IAM catalogue, ${c.addonRules} add-on rules, ${c.awsApiRules} AWS API rules, ${c.awsInputRules} AWS input constraints, ${c.eksAddons} EKS add-on versions against those offered per minor, ${c.applicationConfigs} application configs against their references (${(report.elapsedMs / 1000).toFixed(1)} s)`,
    ];
    for (const f of report.findings) lines.push(`  ERROR [${f.check}] ${f.resource}: ${f.message}`);
    lines.push(report.findings.length ? `Fidelity result: ${report.findings.length} finding(s): the real engine, AWS or a chart would refuse or ignore these` : "Fidelity result: no findings");
    return lines.join("\n");
}
