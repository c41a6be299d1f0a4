/** Beyond the Pod Security Standards: immutable root filesystems, bounded resources, reproducible images. */
import { imageProblem } from "../../../model/images";
import { describeContainer } from "../../lib/kubernetes";
import { workloadPolicy } from "./workload-policy";

export const containerReadOnlyRootFilesystem = workloadPolicy(
    {
        name: "container-read-only-root-fs",
        description: "Every container mounts its root filesystem read-only.",
        severity: "medium",
        remediationSteps: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (/tmp, caches).",
    },
    ({ containers }, report) => {
        for (const c of containers) {
            if (c.container.securityContext?.readOnlyRootFilesystem !== true) report(`${describeContainer(c)} has a writable root filesystem`);
        }
    },
);

export const containerResourceLimits = workloadPolicy(
    {
        name: "container-resource-limits",
        description: "Every container and init container sets CPU and memory requests and limits.",
        severity: "medium",
        remediationSteps: "Set resources.requests and resources.limits for cpu and memory (the API's defaults: 1 CPU / 2Gi requested, 2 CPU / 4Gi limit).",
    },
    ({ containers }, report) => {
        // Ephemeral (debug) containers cannot declare resources.
        for (const c of containers.filter((c) => c.kind !== "ephemeralContainer")) {
            for (const kind of ["requests", "limits"]) {
                const missing = ["cpu", "memory"].filter((r) => c.container.resources?.[kind]?.[r] === undefined);
                if (missing.length) report(`${describeContainer(c)} has no ${kind} for ${missing.join(" and ")}`);
            }
        }
    },
);

export const containerImagePinned = workloadPolicy(
    {
        name: "container-image-pinned",
        description: "Every image is pinned by digest or an explicit tag other than latest.",
        severity: "medium",
        remediationSteps: "Reference images as repo@sha256:<digest> (best) or repo:<version>; never rely on latest or an implicit tag.",
    },
    ({ containers }, report) => {
        for (const c of containers) {
            const problem = imageProblem(String(c.container.image ?? ""));
            if (problem) report(`${describeContainer(c)}: ${problem}`);
        }
    },
);
