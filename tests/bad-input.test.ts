/**
 * Bad input costs nothing and leaks nothing: each broken stack file of tests/bad-input/cases.ts is refused with
 * exit code 1 before any resource is registered, with the whole line that names the stack, the key, the value and
 * what is allowed, and no message shows a credential it was given. A missing stack file is bad usage (exit 2).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { evaluateStack } from "../offline/evaluate";
import { EXIT, planExitCode } from "../offline/exit-codes";
import { STACK_TYPE } from "../offline/inspect";
import { StackFileError } from "../offline/stack-files";
import { derivedNames } from "../model/aws-names";
import { loadStackConfig } from "../stacks/config";
import { BAD_INPUT_CASES } from "./bad-input/cases";

const PROD = { "aws:region": "us-east-1", "rag-platform:environment": "prod", "rag-platform:availabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"], "rag-platform:guardDuty": true, "rag-platform:securityHub": true };
/** Credentials the cases hand over: no message may show them. */
const GIVEN_CREDENTIALS = ["hunter2", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "AAABAMxxxx"];

function stackFile(content: string | Record<string, unknown>): string {
    const file = join(mkdtempSync(join(tmpdir(), "rag-bad-")), "Pulumi.prod.yaml");
    if (typeof content === "string") {
        writeFileSync(file, content);
    } else {
        const config: Record<string, unknown> = { ...PROD, ...content };
        for (const [key, value] of Object.entries(config)) if (value === null) delete config[key];
        writeFileSync(file, stringify({ config }));
    }
    return file;
}

describe("broken stack files", () => {
    it("are at least sixty, each a different mistake", () => {
        expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(60);
        expect(new Set(BAD_INPUT_CASES.map((c) => c.line)).size).toBe(BAD_INPUT_CASES.length);
    });

    it.each(BAD_INPUT_CASES)("$name", async ({ file: content, line }) => {
        const file = stackFile(content);
        const record = await evaluateStack({ stack: "prod", file });
        expect(planExitCode(record)).toBe(EXIT.config);
        expect(record.resources.filter((r) => r.type !== STACK_TYPE)).toEqual([]);
        const lines = record.configError!.message.split("\n").map((l) => l.replace(/^ {2}(- )?/, ""));
        expect(lines, record.configError!.message).toContain(line.replace("<file>", file));
        for (const credential of GIVEN_CREDENTIALS) expect(record.configError!.message).not.toContain(credential);
    });

    it("a missing stack file is bad usage (exit 2), said in one line", async () => {
        const missing = join(tmpdir(), "no-such-dir", "Pulumi.prod.yaml");
        const error = await evaluateStack({ stack: "prod", file: missing }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StackFileError);
        expect((error as StackFileError).kind).toBe("usage");
        expect((error as StackFileError).message).toBe(`no stack file ${missing}: create it (pulumi stack init), or name a stack or --config file that exists`);
    });
});

describe("names derived from the config", () => {
    it("refuses a stack whose default cluster name (rag-<stack>) AWS would refuse, naming the key to set", () => {
        const config = loadStackConfigOf("Prod_EU");
        expect(config).toContain(
            'stack "Prod_EU": rag-platform:clusterName = "rag-Prod_EU": derives the RDS instance identifier "rag-Prod_EU-postgres", which AWS refuses (1-54 lowercase letters, digits or single hyphens, starting with a letter); allowed: 1-40 lowercase letters',
        );
    });

    it.each(["r", "a".repeat(40), "r-" + "a1-".repeat(12) + "z9", "z9"])("takes the allowed name %s whole: every derived name is one AWS takes, and the stack evaluates", async (name) => {
        for (const { name: derived, rule } of derivedNames(name, 1)) expect(rule.test(derived), `${rule.what} ${derived}`).toBe(true);
        const record = await evaluateStack({ stack: "prod", overrides: { "rag-platform:clusterName": name } });
        expect(record.configError).toBeUndefined();
        expect(record.resources.filter((r) => r.type === "aws:rds/instance:Instance").map((r) => r.inputs.identifier)).toEqual([`${name}-postgres`, `${name}-postgres-replica-1`]);
    });
});

/** The validation messages for a stack named `stack` (environment prod) that sets no clusterName. */
function loadStackConfigOf(stack: string): string {
    try {
        loadStackConfig(stack, { values: { "aws:region": "us-east-1", "rag-platform:environment": "prod", "rag-platform:availabilityZones": '["us-east-1a","us-east-1b","us-east-1c"]' }, secretKeys: [] });
        return "";
    } catch (error) {
        return (error as Error).message;
    }
}
