/** Databases and caches answer inside the VPC only. */
import { isTrue, resourcePolicy } from "../../lib/policy";

export const rdsNotPublic = resourcePolicy(
    {
        name: "rds-not-public",
        description: "RDS instances are not publicly accessible.",
        severity: "critical",
        remediationSteps: "Set publiclyAccessible false and reach the database from the VPC (or through a bastion, VPN or SSM port forwarding).",
    },
    ["aws:rds/instance:Instance"],
    (props, report) => {
        if (isTrue(props.publiclyAccessible)) report("publiclyAccessible is true: the instance gets a public address");
    },
);
