/**
 * Batch workloads end: a Job (or each run of a CronJob) has a deadline and a retry limit, and a CronJob's runs
 * neither overlap nor pile up after a controller outage. A runaway run otherwise holds its requests, and its
 * credentials, on the cluster indefinitely.
 */
import { namespaceOf } from "../../lib/kubernetes";
import { configList, resourcePolicy, type Props } from "../../lib/policy";
import { DEFAULT_EXCLUDED_NAMESPACES } from "./workload-policy";

const JOB = "kubernetes:batch/v1:Job";
const CRON_JOB = "kubernetes:batch/v1:CronJob";

export const jobBounded = resourcePolicy(
    {
        name: "job-bounded",
        description: "Jobs and CronJobs are bounded: every run has a deadline and a retry limit; CronJob runs never overlap and a missed start is dropped.",
        severity: "medium",
        remediationSteps: "Set activeDeadlineSeconds and backoffLimit on the Job's spec (a CronJob's jobTemplate.spec); on a CronJob set concurrencyPolicy Forbid (or Replace) and startingDeadlineSeconds.",
        configSchema: {
            properties: {
                excludedNamespaces: { type: "array", items: { type: "string" }, default: DEFAULT_EXCLUDED_NAMESPACES, description: "Namespaces this policy does not check." },
            },
        },
    },
    [JOB, CRON_JOB],
    (props, report, args) => {
        if (configList(args, "excludedNamespaces", DEFAULT_EXCLUDED_NAMESPACES).includes(namespaceOf(props))) return;
        const job: Props = (args.type === CRON_JOB ? props.spec?.jobTemplate?.spec : props.spec) ?? {};
        if (job.activeDeadlineSeconds === undefined) report("activeDeadlineSeconds is not set: a stuck run holds its pod, its requests and its credentials forever");
        if (job.backoffLimit === undefined) report("backoffLimit is not set: a failing run is retried 6 times (Kubernetes' default), each from the start");
        if (args.type === CRON_JOB) {
            const policy = props.spec?.concurrencyPolicy ?? "Allow";
            if (policy === "Allow") report("concurrencyPolicy is Allow: a slow run and the next one run at once, on the same data");
            if (props.spec?.startingDeadlineSeconds === undefined) report("startingDeadlineSeconds is not set: after a controller outage every missed run (up to 100) starts at once");
        }
    },
);
