/**
 * `npm run plan -- --stack <name> [--json <file>] [--from <last deployment>] [--config <stack file>] [--primary <the primary's stack file, for a standby>] [--skip-policy | --packs-as-cli]`
 *
 * Evaluates the program for one stack under the Pulumi SDK's mocks, prints what it would register, then runs
 * the fidelity checks (offline/fidelity) and the CrossGuard packs over it through the analyzer protocol. Exits 1
 * when the stack's config is rejected, by the Pulumi CLI's rules or the program's (the messages name stack, key,
 * value and what is allowed), 2 on bad usage, 3 when the program or a pack crashed, 4 on a mandatory policy
 * violation, 5 on a fidelity finding (something the real engine, AWS or a pinned chart would refuse or ignore), 6
 * when the preview of the change against `--from` stops (a protected resource deleted or replaced, data replaced
 * unintended).
 */
// The SDK captures a stack trace for every resource and promise; with tsx's source maps each costs a lookup.
process.setSourceMapsEnabled(false);
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { CostEstimate } from "./cost";
import type { FidelityReport } from "./fidelity";
import { mandatoryViolations, PolicyPacks, stackDescription, type PlanAnalysis, type PolicyReport } from "./policy-check";
import { StackFileError } from "./stack-files";
import { EXIT, planExitCode } from "./exit-codes";
import { type Deployment, DeploymentFileError, intendedReplacements, previewChanges, readDeployment, renderChangePreview } from "./preview";

const USAGE = "usage: npm run plan -- --stack <dev|staging|prod|prod-dr|any Pulumi.<stack>.yaml here> [--json <file>] [--from <last deployment: --json record or pulumi stack export>] [--compare <previous --json file>] [--config <stack file>] [--skip-policy | --packs-as-cli]";

async function main(): Promise<number> {
    let args;
    try {
        args = parseArgs({
            options: {
                stack: { type: "string", short: "s" },
                json: { type: "string" },
                // A previous plan's --json file: the cost estimate is shown against its estimate.
                compare: { type: "string" },
                // The last deployment: the change is previewed against it, as `pulumi preview --diff` would.
                from: { type: "string" },
                config: { type: "string" },
                // A standby's primary planned from this stack file (an example pair) instead of Pulumi.<primary>.yaml.
                primary: { type: "string" },
                stats: { type: "boolean" },
                "skip-policy": { type: "boolean" },
                // Each pack in its own process exactly as the Pulumi CLI starts it, instead of one host for all.
                "packs-as-cli": { type: "boolean" },
            },
        }).values;
    } catch (error) {
        console.error(`${(error as Error).message}\n${USAGE}`);
        return EXIT.usage;
    }
    if (!args.stack) {
        console.error(USAGE);
        return EXIT.usage;
    }
    // The packs start first and come up while the SDKs load and the program is evaluated.
    const packs = args["skip-policy"] ? undefined : new PolicyPacks(undefined, args["packs-as-cli"] ? "cli" : "shared");
    const [{ evaluateStack }, { checkFidelity, renderFidelityReport }, { registered }, { renderPolicyReport, renderSummary }, costs] = await Promise.all([
        import("./evaluate"),
        import("./fidelity"),
        import("./inspect"),
        import("./summary"),
        import("./cost"),
    ]);
    let previous: CostEstimate | undefined;
    if (args.compare) {
        try {
            previous = (JSON.parse(readFileSync(args.compare, "utf8")) as { cost?: CostEstimate }).cost;
        } catch (error) {
            console.error(`--compare ${args.compare}: ${(error as Error).message}\n${USAGE}`);
            return EXIT.usage;
        }
        if (!previous) {
            console.error(`--compare ${args.compare}: the file holds no cost estimate (write one with --json)\n${USAGE}`);
            return EXIT.usage;
        }
    }
    let deployment: Deployment | undefined;
    if (args.from) {
        try {
            deployment = readDeployment(args.from);
        } catch (error) {
            if (!(error instanceof DeploymentFileError)) throw error;
            console.error(`${error.message}\n${USAGE}`);
            return EXIT.usage;
        }
    }
    let record, fidelity: FidelityReport | undefined, policy: PolicyReport | undefined, elapsedMs, cost: CostEstimate | undefined, costMs: number | undefined;
    try {
        const started = process.hrtime.bigint();
        // As under `pulumi up`: the packs analyze each resource as it is registered, while the program still runs.
        let analysis: PlanAnalysis | undefined;
        record = await evaluateStack({
            stack: args.stack,
            file: args.config,
            primaryFile: args.primary,
            // The stack reads its own last outputs (the replacement guard) from the deployment it is previewed against.
            deployedOutputs: deployment?.outputs,
            onStackConfig: (stack) => (analysis = packs?.begin(stackDescription(stack))),
            onResource: (resource) => analysis?.analyze(resource),
        });
        elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        if (!record.configError) {
            [fidelity, policy] = await Promise.all([checkFidelity(record.resources), analysis?.finish(record)]);
            const costStarted = process.hrtime.bigint();
            cost = costs.estimatePlanCost(record);
            costMs = Number(process.hrtime.bigint() - costStarted) / 1e6;
        }
    } finally {
        await packs?.stop();
    }
    const previewStarted = process.hrtime.bigint();
    const change = deployment && !record.configError ? previewChanges(deployment, record, { intendedReplacements: intendedReplacements(record) }) : undefined;
    const previewMs = change && Number(process.hrtime.bigint() - previewStarted) / 1e6;
    if (args.json) writeFileSync(args.json, JSON.stringify({ ...record, fidelity, policy, cost }, null, 2));
    if (args.stats) {
        // For scripts/bench.ts: one JSON line, nothing else.
        console.log(JSON.stringify({ evaluateMs: elapsedMs, fidelityMs: fidelity?.elapsedMs, policyMs: policy?.elapsedMs, costMs, previewMs, resources: registered(record).length, maxRssKb: process.resourceUsage().maxRSS }));
    } else if (record.configError) {
        console.error(renderSummary(record));
    } else {
        console.log(renderSummary(record));
        console.log();
        console.log(renderFidelityReport(fidelity!));
        console.log();
        console.log(policy ? renderPolicyReport(policy) : "Policy packs: skipped (--skip-policy)");
        console.log();
        console.log(costs.renderCostEstimate(cost!));
        if (previous) console.log(costs.renderCostComparison(previous, cost!));
        if (change) {
            console.log();
            console.log(renderChangePreview(change, args.from!));
        }
    }
    return planExitCode({ configError: record.configError, mandatoryViolations: policy && mandatoryViolations(policy).length, fidelityFindings: fidelity?.findings.length, changeErrors: change?.errors.length });
}

main().then(
    (code) => process.exit(code),
    (error) => {
        // No stack file: bad usage, said in one line. Anything else is a crash, with its stack.
        if (error instanceof StackFileError) {
            console.error(`${error.message}\n${USAGE}`);
            process.exit(EXIT.usage);
        }
        console.error(error instanceof Error ? (error.stack ?? error.message) : error);
        process.exit(EXIT.crash);
    },
);
