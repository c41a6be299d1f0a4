/**
 * The README stays a front door (the depth lives in docs/), and no page points at a file that is not there:
 * every relative Markdown link and every `docs/*.md` named in the README and docs/ resolves. Tables the code
 * knows are generated into them and checked here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../offline/evaluate";
import { environmentsTable, withTable } from "../scripts/write-environments-table";
import { COST_TABLE_STACKS, costTable, withCostTable } from "../scripts/write-cost-table";
import { planOf } from "./plans";
import { RULES_DOC_PATH, renderRulesDoc } from "../scripts/write-rules-table";
import { SERVICES_DOC_PATH, servicesTable, withServicesTable } from "../scripts/write-services-table";

const PAGES = ["README.md", ...readdirSync(join(PROJECT_DIR, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The files a page points at, as paths from the project root, with whether each exists. */
function targets(page: string): { target: string; exists: boolean }[] {
    const text = readFileSync(join(PROJECT_DIR, page), "utf8");
    const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t));
    const fromPage = links.map((t) => join(dirname(page), t));
    const named = [...text.matchAll(/\bdocs\/[a-z-]+\.md\b/g)].map((m) => m[0]);
    return [...new Set([...fromPage, ...named])].map((target) => ({ target, exists: existsSync(join(PROJECT_DIR, target)) }));
}

describe("documentation", () => {
    it("keeps the README to a front door of a few screens", () => {
        expect(statSync(join(PROJECT_DIR, "README.md")).size).toBeLessThanOrEqual(12 * 1024);
    });

    it.each(PAGES)("%s points only at files that exist", (page) => {
        expect(targets(page).filter((t) => !t.exists)).toEqual([]);
    });

    it("shows the environments as the profiles define them (npm run docs:tables)", () => {
        const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
        expect(readme).toBe(withTable(readme, environmentsTable()));
    });

    it("shows each stack's cost estimate as its plan computes it (npm run docs:tables)", async () => {
        const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
        const records = Object.fromEntries(await Promise.all(COST_TABLE_STACKS.map(async ({ stack }) => [stack, await planOf(stack as "dev")] as const)));
        expect(readme).toBe(withCostTable(readme, costTable(records)));
    });

    it("marks a prod value enforced exactly when prod refuses dev's value", () => {
        const rows = Object.fromEntries(environmentsTable().split("\n").map((line) => [line.split(" | ")[0].slice(2), line]));
        expect(rows["NAT gateways"]).toMatch(/\(enforced\) \|$/); // prod refuses a single NAT gateway
        expect(rows["trace sampling"]).not.toContain("enforced"); // any sampling rate is allowed in prod
    });

    it("lists every environment rule with its enforcement as model/rules.ts and the policy configs say (npm run docs:tables)", () => {
        expect(readFileSync(RULES_DOC_PATH, "utf8")).toBe(renderRulesDoc());
    });

    it("shows the service model's fields with their meaning and defaults as the model resolves them (npm run docs:tables)", () => {
        const doc = readFileSync(SERVICES_DOC_PATH, "utf8");
        expect(doc).toBe(withServicesTable(doc, servicesTable()));
        // Every field the schema takes has a row, with a meaning.
        expect(servicesTable().split("\n").filter((line) => /^\| `\w+` \| \|/.test(line))).toEqual([]);
    });

    it("links every page of docs/ from the README", () => {
        const linked = new Set(targets("README.md").map((t) => t.target));
        expect(PAGES.filter((p) => p.startsWith("docs/") && !linked.has(p))).toEqual([]);
    });
});
