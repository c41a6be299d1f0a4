/** Security groups: no administration or database port open to the whole internet. */
import { DATA_PORTS, DOCUMENTDB_PORT, NFS_PORT } from "../../../model/ports";
import { resourcePolicy, WORLD_CIDRS, type Props } from "../../lib/policy";

/** Ports nobody should reach from anywhere: SSH, RDP, and the data stores the platform runs. */
const SENSITIVE_PORTS: Record<number, string> = { 22: "SSH", 3389: "RDP", [DATA_PORTS.postgres]: "PostgreSQL", [DATA_PORTS.redis]: "Redis", [DOCUMENTDB_PORT]: "MongoDB", [NFS_PORT]: "NFS", 9200: "OpenSearch" };

export const noSensitivePortsFromWorld = resourcePolicy(
    {
        name: "no-sensitive-ports-from-world",
        description: "No security group rule opens SSH, RDP or a database port to 0.0.0.0/0 or ::/0.",
        severity: "critical",
        remediationSteps: "Admit the source security group or a private CIDR instead; for administration use SSM Session Manager.",
    },
    ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:ec2/securityGroupRule:SecurityGroupRule", "aws:ec2/securityGroup:SecurityGroup"],
    (props, report, args) => {
        const rules: Props[] =
            args.type === "aws:ec2/securityGroup:SecurityGroup"
                ? (props.ingress ?? [])
                : args.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && props.type !== "ingress"
                  ? []
                  : [props];
        for (const rule of rules) {
            const sources: string[] = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? []), rule.cidrIpv4, rule.cidrIpv6].filter(Boolean);
            if (!sources.some((s) => WORLD_CIDRS.includes(s))) continue;
            const from = Number(rule.fromPort ?? 0);
            const to = Number(rule.toPort ?? 65535);
            const all = rule.ipProtocol === "-1" || rule.protocol === "-1" || rule.protocol === "all";
            const opened = Object.entries(SENSITIVE_PORTS).filter(([port]) => all || (Number(port) >= from && Number(port) <= to));
            if (opened.length > 0) report(`opens ${opened.map(([port, what]) => `${what} (${port})`).join(", ")} to ${sources.filter((s) => WORLD_CIDRS.includes(s)).join(", ")}`);
        }
    },
);
