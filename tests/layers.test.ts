/**
 * The layers import downward only: model/ (pure facts and rules) imports nothing of the project's; components/
 * import the model; policy packs import the model (each pack is bundled with it); stacks/ (config and
 * composition) import the model, components and the contract; the offline engine may import any of those. So a
 * fact or rule changed in model/ reaches the config, the components and the packs alike.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../offline/evaluate";

/** Top-level folder -> the folders its files may import from (besides their own and packages). */
const MAY_IMPORT: Record<string, string[]> = {
    model: [],
    components: ["model"],
    "policy-packs": ["model"],
    contract: [],
    stacks: ["model", "components", "contract"],
    offline: ["model", "components", "stacks", "contract", "policy-packs"],
};

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (name === "node_modules" || name === "dist") return [];
        return statSync(path).isDirectory() ? sources(path) : /\.(ts|js)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
    });
}

/** Each project file's imports of other project folders, as `<file> -> <folder>`. */
function crossings(layer: string): string[] {
    return sources(join(PROJECT_DIR, layer)).flatMap((file) => {
        const text = readFileSync(file, "utf8");
        const specs = [...text.matchAll(/(?:from\s+|import\(|require\()["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
        return specs
            .map((spec) => relative(PROJECT_DIR, normalize(join(dirname(file), spec))).split("/")[0])
            .filter((folder) => folder !== layer)
            .map((folder) => `${relative(PROJECT_DIR, file)} -> ${folder}`);
    });
}

describe("layers", () => {
    it.each(Object.keys(MAY_IMPORT))("%s imports only from the layers below it", (layer) => {
        const wrong = crossings(layer).filter((c) => !MAY_IMPORT[layer].includes(c.split(" -> ")[1]));
        expect(wrong).toEqual([]);
    });

    it("would notice an upward import", () => {
        // A component reading stack config is the kind of import this test exists to refuse.
        expect(MAY_IMPORT.components).not.toContain("stacks");
        expect(crossings("stacks").some((c) => c.endsWith("-> model"))).toBe(true);
    });
});
