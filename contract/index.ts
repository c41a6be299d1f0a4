/** The platform's output contract: what a rag-platform stack exports, and how other programs read it. */
export { CONTRACT_VERSION, OUTPUTS, hasKind, isCompatible, type OutputKind, type OutputName, type OutputSpec, type PlatformContract } from "./outputs";
export { checkContractVersion, PlatformContractError, PlatformStack, requireOutput } from "./consumer";
