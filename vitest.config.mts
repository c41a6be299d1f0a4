import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        // The first import of @pulumi/aws in a worker takes seconds on a 2-core machine.
        testTimeout: 120_000,
        hookTimeout: 120_000,
        pool: "forks",
        // Vitest leaves a core free by default; the suite waits on child processes (packs, promtool) often enough to use both.
        maxWorkers: 2,
        globalSetup: ["tests/global-setup.ts"],
        // A worker runs its files one after another in one process, modules kept: the SDKs load and the policy
        // pack host (tests/packs.ts) starts once per worker, not once per file. Every file builds its own state.
        isolate: false,
    },
});
