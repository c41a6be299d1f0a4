/**
 * The README stays a front door (the depth lives in docs/), and no page points at a file that is not there:
 * every relative Markdown link and every `docs/*.md` named in the README and docs/ resolves. No Markdown file of
 * the repository points outside it (the repository is read on its own). Tables the code knows are generated into
 * them and checked here; versions they name are the pinned ones.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../offline/evaluate";
import { environmentsTable, withTable } from "../scripts/write-environments-table";
import { COST_TABLE_STACKS, costTable, withCostTable } from "../scripts/write-cost-table";
import { planOf } from "./plans";
import { RULES_DOC_PATH, renderRulesDoc } from "../scripts/write-rules-table";
import { README_PATH, SERVICES_DOC_PATH, servicesTable, withServicesTables, withSystemsSummary } from "../scripts/write-services-table";
import { REQUIREMENTS_DOC_PATH, requirementsTable, withRequirementsTable } from "../scripts/write-requirements-table";
import { ADDON_CHARTS } from "../model/aws-catalog";

const PAGES = ["README.md", ...readdirSync(join(PROJECT_DIR, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The files a page points at, as paths from the project root, with whether each exists. */
function targets(page: string): { target: string; exists: boolean }[] {
    const text = readFileSync(join(PROJECT_DIR, page), "utf8");
    const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t));
    const fromPage = links.map((t) => join(dirname(page), t));
    const named = [...text.matchAll(/\bdocs\/[a-z-]+\.md\b/g)].map((m) => m[0]);
    return [...new Set([...fromPage, ...named])].map((target) => ({ target, exists: existsSync(join(PROJECT_DIR, target)) }));
}

/** Every Markdown file of the repository, as paths from its root (dependencies, build output and git left out). */
function markdownFiles(dir = ""): string[] {
    return readdirSync(join(PROJECT_DIR, dir), { withFileTypes: true }).flatMap((entry) => {
        const path = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) return ["node_modules", ".git", "dist"].includes(entry.name) ? [] : markdownFiles(path);
        return entry.name.endsWith(".md") ? [path] : [];
    });
}
const MARKDOWN = markdownFiles();

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(page: string): Set<string> {
    const seen = new Map<string, number>();
    const text = readFileSync(join(PROJECT_DIR, page), "utf8").replace(/^```[\s\S]*?^```/gm, "");
    return new Set(
        [...text.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((m) => {
            const slug = m[1].toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
            const n = seen.get(slug) ?? 0;
            seen.set(slug, n + 1);
            return n ? `${slug}-${n}` : slug;
        }),
    );
}

const inside = (path: string) => !relative(PROJECT_DIR, path).startsWith("..");

/** What Markdown `text` at `page` says that leaves the repository or does not resolve: one line per problem. */
function outsideOrBroken(page: string, text = readFileSync(join(PROJECT_DIR, page), "utf8")): string[] {
    const problems: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue; // a URL
        const [file, anchor] = target.split("#");
        if (file.startsWith("/") || file.startsWith("~")) {
            problems.push(`links an absolute path: ${target}`);
            continue;
        }
        const path = file ? resolve(PROJECT_DIR, dirname(page), file) : join(PROJECT_DIR, page);
        if (!inside(path)) problems.push(`links outside the repository: ${target}`);
        else if (!existsSync(path)) problems.push(`links a file that does not exist: ${target}`);
        else if (anchor && path.endsWith(".md") && !anchors(relative(PROJECT_DIR, path)).has(anchor)) problems.push(`links a heading that does not exist: ${target}`);
    }
    // Paths named in the text: another checkout's files, a home or work directory, a relative path climbing out.
    for (const [named] of text.matchAll(/(?<=^|[\s`'"(])(?:\/work\/|\/home\/|\/Users\/|~\/|(?:\.\.\/)+shared\/)[^\s`'")]*/gm)) problems.push(`names a path outside the repository: ${named}`);
    for (const [climb] of text.matchAll(/(?:\.\.\/)+[\w.-]+/g)) {
        if (!inside(resolve(PROJECT_DIR, dirname(page), climb))) problems.push(`names a path outside the repository: ${climb}`);
    }
    // Upper-case Markdown names (README.md, CHANGELOG.md, ...) are files of the repository, not another one's.
    const names = new Set(MARKDOWN.map((f) => basename(f)));
    for (const [name] of text.matchAll(/\b[A-Z][A-Z0-9_-]*\.md\b/g)) if (!names.has(name)) problems.push(`names a Markdown file the repository does not have: ${name}`);
    return problems;
}

describe("documentation", () => {
    it("keeps the README to a front door of a few screens", () => {
        expect(statSync(join(PROJECT_DIR, "README.md")).size).toBeLessThanOrEqual(12 * 1024);
    });

    it.each(PAGES)("%s points only at files that exist", (page) => {
        expect(targets(page).filter((t) => !t.exists)).toEqual([]);
    });

    it.each(MARKDOWN)("%s points nowhere outside the repository, and every relative link resolves", (page) => {
        expect(outsideOrBroken(page)).toEqual([]);
    });

    it("catches links and names that leave the repository or do not resolve", () => {
        const check = (text: string) => outsideOrBroken("docs/requirements.md", text);
        expect(check("[spec](../../shared/PLATFORM-SPEC.md)")).toEqual(["links outside the repository: ../../shared/PLATFORM-SPEC.md", "names a path outside the repository: ../../shared/PLATFORM-SPEC.md", "names a path outside the repository: ../../shared", "names a Markdown file the repository does not have: PLATFORM-SPEC.md"]);
        expect(check("see /work/shared/DESIGN.md")).toEqual(["names a path outside the repository: /work/shared/DESIGN.md", "names a Markdown file the repository does not have: DESIGN.md"]);
        expect(check("[x](/etc/hosts) [y](design.md#no-such-heading) [z](nothing.md)")).toEqual(["links an absolute path: /etc/hosts", "links a heading that does not exist: design.md#no-such-heading", "links a file that does not exist: nothing.md"]);
    });

    it("describes every test file in docs/tests.md", () => {
        const doc = readFileSync(join(PROJECT_DIR, "docs", "tests.md"), "utf8");
        const files = readdirSync(join(PROJECT_DIR, "tests")).filter((f) => f.endsWith(".test.ts")).map((f) => `tests/${f}`);
        expect(files.filter((f) => !doc.includes(`\`${f}\``))).toEqual([]);
        expect([...doc.matchAll(/`(tests\/[\w-]+\.test\.ts)`/g)].map((m) => m[1]).filter((f) => !files.includes(f))).toEqual([]);
    });

    it("names the versions the project pins wherever README.md and docs/ name a version of a package or KEDA", () => {
        const pkg = JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8"));
        const pins: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies, KEDA: ADDON_CHARTS.keda.version };
        const wrong = (page: string, text = readFileSync(join(PROJECT_DIR, page), "utf8")) =>
            Object.entries(pins).flatMap(([name, version]) =>
                [...text.matchAll(new RegExp(`${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\`? v?(\\d+\\.\\d+(?:\\.\\d+)?)\\b`, "g"))]
                    .filter((m) => !`${version}.`.startsWith(`${m[1]}.`))
                    .map((m) => `${page}: ${m[0]} (pinned: ${version})`),
            );
        expect(PAGES.flatMap((page) => wrong(page))).toEqual([]);
        expect(wrong("x.md", `@pulumi/eks 4.2.0, \`@pulumi/pulumi\` 3.271, KEDA 2.20.2, @pulumi/aws ${pins["@pulumi/aws"]}`)).toEqual([
            `x.md: @pulumi/eks 4.2.0 (pinned: ${pins["@pulumi/eks"]})`,
            `x.md: @pulumi/pulumi\` 3.271 (pinned: ${pins["@pulumi/pulumi"]})`,
        ]);
    });

    it("shows the spec's figures against the profiles and service defaults as they are (npm run docs:tables)", () => {
        const doc = readFileSync(REQUIREMENTS_DOC_PATH, "utf8");
        expect(doc).toBe(withRequirementsTable(doc, requirementsTable()));
        // A departure the code makes is marked, not hidden: prod's node class is m6i, not the spec's m5.
        expect(requirementsTable()).toMatch(/\| application node class \|.*\(\*\*differs\*\*\) \|$/m);
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
        expect(doc).toBe(withServicesTables(doc));
        const readme = readFileSync(README_PATH, "utf8");
        expect(readme).toBe(withSystemsSummary(readme));
        // Every field the schema takes has a row, with a meaning.
        expect(servicesTable().split("\n").filter((line) => /^\| `\w+` \| \|/.test(line))).toEqual([]);
    });

    it("links every page of docs/ from the README", () => {
        const linked = new Set(targets("README.md").map((t) => t.target));
        expect(PAGES.filter((p) => p.startsWith("docs/") && !linked.has(p))).toEqual([]);
    });
});
