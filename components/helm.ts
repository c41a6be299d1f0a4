/** A Helm release of an upstream chart at a pinned version, installed atomically. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface ChartRef {
    repo: string;
    chart: string;
    version: string;
}

export function pinnedRelease(
    name: string,
    chart: ChartRef,
    namespace: string,
    values: pulumi.Input<Record<string, unknown>>,
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(name, {
        name: chart.chart,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        namespace,
        createNamespace: namespace !== "kube-system",
        // Roll back a failed install or upgrade instead of leaving a half-applied release.
        atomic: true,
        cleanupOnFail: true,
        timeout: 600,
        values,
    }, opts);
}
