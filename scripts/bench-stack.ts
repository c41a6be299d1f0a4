/**
 * The bench's large stack: prod's own stack file with `scale` times the default services and the nodes for them.
 * Built from prod's file, so whatever a prod stack must say it says; tests/stacks.test.ts holds it to the config.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { DEFAULT_SERVICES } from "../model/services";
import { PROJECT_DIR } from "../offline/evaluate";

export function scaledProdConfig(scale: number): Record<string, unknown> {
    const prod = parse(readFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
    const services = Array.from({ length: scale }, (_, i) => DEFAULT_SERVICES.map((s) => ({ ...s, name: `${s.name}-${i + 1}`, ingress: { paths: [s.kind === "api" ? `/api/${i + 1}` : `/app/${i + 1}`] } }))).flat();
    return { ...prod.config, "rag-platform:nodeMaxSize": 60, "rag-platform:services": services };
}
