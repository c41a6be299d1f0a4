/** The plans most test files look at: each stack, and each example system under the stack its file is for. */
export const SHARED_PLANS = [
    { key: "dev", stack: "dev" },
    { key: "staging", stack: "staging" },
    { key: "prod", stack: "prod" },
    // prod's warm standby: reads prod's planned outputs, so it is planned after prod, in the same process.
    { key: "prod-dr", stack: "prod-dr", after: "prod" },
    { key: "s0-mcp-rag-demo", stack: "prod", file: "examples/systems/s0-mcp-rag-demo.yaml" },
    // S0's standby, the SECONDARY of the shipped failover pair: reads the S0 primary's planned outputs.
    { key: "s0-mcp-rag-demo-standby", stack: "prod-dr", file: "examples/systems/s0-mcp-rag-demo-standby.yaml", after: "s0-mcp-rag-demo" },
    { key: "s1-mcp-ui", stack: "prod", file: "examples/systems/s1-mcp-ui.yaml" },
    { key: "s2-rag-engine", stack: "prod", file: "examples/systems/s2-rag-engine.yaml" },
    { key: "s3-deployment-engine", stack: "prod", file: "examples/systems/s3-deployment-engine.yaml" },
    { key: "s4-askrag", stack: "staging", file: "examples/systems/s4-askrag.yaml" },
] as const;
export type PlanKey = (typeof SHARED_PLANS)[number]["key"];
