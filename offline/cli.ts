/**
 * `npm run plan -- --stack <name> [--json <file>] [--config <stack file>]`
 *
 * Evaluates the program for one stack under the Pulumi SDK's mocks and prints what it would register. Exits 1
 * when the stack's config is rejected (the messages name stack, key, value and what is allowed), 2 on bad usage.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { evaluateStack } from "./evaluate";
import { registered } from "./inspect";
import { renderSummary } from "./summary";

const USAGE = "usage: npm run plan -- --stack <dev|staging|prod> [--json <file>] [--config <stack file>]";

async function main(): Promise<number> {
    let args;
    try {
        args = parseArgs({
            options: {
                stack: { type: "string", short: "s" },
                json: { type: "string" },
                config: { type: "string" },
                stats: { type: "boolean" },
            },
        }).values;
    } catch (error) {
        console.error(`${(error as Error).message}\n${USAGE}`);
        return 2;
    }
    if (!args.stack) {
        console.error(USAGE);
        return 2;
    }
    const started = process.hrtime.bigint();
    const record = await evaluateStack({ stack: args.stack, file: args.config });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (args.json) writeFileSync(args.json, JSON.stringify(record, null, 2));
    if (args.stats) {
        // For scripts/bench.ts: one JSON line, nothing else.
        console.log(JSON.stringify({ evaluateMs: elapsedMs, resources: registered(record).length, maxRssKb: process.resourceUsage().maxRSS }));
    } else {
        (record.configError ? console.error : console.log)(renderSummary(record));
    }
    return record.configError ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (error) => {
        console.error(error instanceof Error ? (error.stack ?? error.message) : error);
        process.exit(3);
    },
);
