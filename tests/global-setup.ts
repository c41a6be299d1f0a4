/**
 * Evaluates the stacks and example systems once per test run, before any test file starts, and hands their plan
 * records to every file through a cache directory (tests/plans.ts reads it): most files look at the same plans.
 * Two processes share the work, one per core.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { SHARED_PLANS } from "./plan-list";

export default async function setup(project: TestProject) {
    const dir = mkdtempSync(join(tmpdir(), "rag-plans-"));
    // Alternate plans between the two, but a plan that reads another's outputs goes right after it.
    const halves: (typeof SHARED_PLANS)[number][][] = [[], []];
    for (const plan of SHARED_PLANS.filter((p) => !("after" in p))) halves[halves[0].length <= halves[1].length ? 0 : 1].push(plan);
    for (const plan of SHARED_PLANS.filter((p) => "after" in p)) {
        const half = halves.find((h) => h.some((p) => p.key === plan.after))!;
        half.splice(half.findIndex((p) => p.key === plan.after) + 1, 0, plan);
    }
    await Promise.all(
        halves.map(
            (plans) =>
                new Promise<void>((resolve, reject) => {
                    const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "write-plans.ts"), dir, ...plans.map((p) => p.key)], { stdio: ["ignore", "inherit", "inherit"] });
                    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`evaluating ${plans.map((p) => p.key).join(", ")} failed (${code})`))));
                }),
        ),
    );
    project.provide("planCacheDir", dir);
    return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
    export interface ProvidedContext {
        planCacheDir: string;
    }
}
