/**
 * The composition of one platform stack: config -> validated StackConfig -> Network -> (Cluster, DataTier,
 * Observability, RagWorkload as they land) -> exported outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { Network } from "../components/network";
import { loadStackConfig, resolveAvailabilityZones, type RawConfig, type StackConfig } from "./config";

/** What every stack exports. */
export interface PlatformOutputs {
    environment: string;
    region: string;
    clusterName: string;
    availabilityZones: string[];
    vpcId: pulumi.Output<string>;
    vpcCidr: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string>[];
    privateSubnetIds: pulumi.Output<string>[];
    databaseSubnetIds: pulumi.Output<string>[];
    natGatewayPublicIps: pulumi.Output<string>[];
    securityGroupIds: Network["securityGroupIds"];
    flowLogGroupName: pulumi.Output<string>;
}

/** The stack's config as the engine passed it, with the keys that were `secure:` in the stack file. */
export function readRawConfig(): RawConfig {
    const values = pulumi.runtime.allConfig();
    // isConfigSecret is internal to the SDK (pinned in package.json); there is no public way to list secret keys.
    const isSecret = (runtimeConfig as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;
    return { values, secretKeys: Object.keys(values).filter((key) => isSecret(key)) };
}

/** Validates the stack's config, then builds it. Nothing is registered until every check has passed. */
export async function deployPlatform(): Promise<PlatformOutputs> {
    const config = loadStackConfig(pulumi.getStack(), readRawConfig(), pulumi.getProject());
    const zones = await aws.getAvailabilityZones({
        region: config.region,
        state: "available",
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }], // local and wavelength zones are opt-in
    });
    const availabilityZones = resolveAvailabilityZones(config, zones.names);
    return composePlatform(config, availabilityZones);
}

export function composePlatform(config: StackConfig, availabilityZones: string[]): PlatformOutputs {
    const provider = new aws.Provider("aws", { region: config.region, defaultTags: { tags: config.tags } });
    const network = new Network("network", {
        clusterName: config.clusterName,
        availabilityZones,
        cidrBlock: config.vpcCidr,
        subnetCidrs: config.subnetCidrs,
        natGateways: config.natGateways,
        interfaceEndpoints: config.vpcInterfaceEndpoints,
        gatewayEndpoints: config.vpcGatewayEndpoints,
        flowLogRetentionDays: config.flowLogRetentionDays,
        kmsKeyDeletionWindowDays: config.kmsKeyDeletionWindowDays,
        protect: config.protectStatefulResources,
    }, { providers: [provider] });

    return {
        environment: config.environment,
        region: config.region,
        clusterName: config.clusterName,
        availabilityZones,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidrBlock,
        publicSubnetIds: network.subnetIds.public,
        privateSubnetIds: network.subnetIds.private,
        databaseSubnetIds: network.subnetIds.database,
        natGatewayPublicIps: network.natGatewayPublicIps,
        securityGroupIds: network.securityGroupIds,
        flowLogGroupName: network.flowLogGroupName,
    };
}
