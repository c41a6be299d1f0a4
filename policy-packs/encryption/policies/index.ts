/** The encryption pack's policies, one module per service area; each importable alone without starting a server. */
import { cloudfrontTls } from "./cloudfront";
import { logGroupEncrypted } from "./cloudwatch-logs";
import { ebsVolumeEncrypted, eksNodeGroupVolumesEncrypted, launchTemplateVolumesEncrypted, storageClassEncrypted } from "./ebs";
import { efsEncrypted } from "./efs";
import { documentDbEncrypted } from "./documentdb";
import { eksSecretsEncrypted } from "./eks";
import { elasticacheAtRestEncrypted, elasticacheAuthRequired, elasticacheInTransitEncrypted } from "./elasticache";
import { kmsKeyRotation } from "./kms";
import { albIngressTls, lbListenerTls } from "./load-balancers";
import { snsTopicEncrypted, sqsQueueEncrypted } from "./messaging";
import { rdsPerformanceInsightsEncrypted, rdsStorageEncrypted, rdsTlsRequired } from "./rds";
import { s3SseKms, s3TlsOnly } from "./s3";
import { secretsManagerCmk } from "./secrets-manager";

export {
    albIngressTls,
    cloudfrontTls,
    documentDbEncrypted,
    ebsVolumeEncrypted,
    efsEncrypted,
    eksNodeGroupVolumesEncrypted,
    eksSecretsEncrypted,
    elasticacheAtRestEncrypted,
    elasticacheAuthRequired,
    elasticacheInTransitEncrypted,
    kmsKeyRotation,
    launchTemplateVolumesEncrypted,
    lbListenerTls,
    logGroupEncrypted,
    rdsPerformanceInsightsEncrypted,
    rdsStorageEncrypted,
    rdsTlsRequired,
    s3SseKms,
    s3TlsOnly,
    secretsManagerCmk,
    snsTopicEncrypted,
    sqsQueueEncrypted,
    storageClassEncrypted,
};

/** What the pack serves: its name (as policy config files and the CLI show it) and its policies. */
export const encryptionPack = {
    name: "rag-encryption",
    policies: [
        rdsStorageEncrypted,
        rdsPerformanceInsightsEncrypted,
        rdsTlsRequired,
        documentDbEncrypted,
        elasticacheAtRestEncrypted,
        elasticacheInTransitEncrypted,
        elasticacheAuthRequired,
        s3SseKms,
        s3TlsOnly,
        ebsVolumeEncrypted,
        launchTemplateVolumesEncrypted,
        eksNodeGroupVolumesEncrypted,
        storageClassEncrypted,
        efsEncrypted,
        eksSecretsEncrypted,
        snsTopicEncrypted,
        sqsQueueEncrypted,
        secretsManagerCmk,
        logGroupEncrypted,
        kmsKeyRotation,
        lbListenerTls,
        albIngressTls,
        cloudfrontTls,
    ],
};
