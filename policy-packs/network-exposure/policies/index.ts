/** The network-exposure pack's policies, one module per service area; each importable alone without starting a server. */
import { rdsNotPublic } from "./databases";
import { eksEndpointNotOpen } from "./eks";
import { cloudfrontWaf } from "./edge";
import { noSensitivePortsFromWorld } from "./security-groups";

export { cloudfrontWaf, eksEndpointNotOpen, noSensitivePortsFromWorld, rdsNotPublic };

/** What the pack serves: its name (as policy config files and the CLI show it) and its policies. */
export const networkExposurePack = {
    name: "rag-network-exposure",
    policies: [eksEndpointNotOpen, rdsNotPublic, noSensitivePortsFromWorld, cloudfrontWaf],
};
