/**
 * `npm run contract:snapshot`: records the output contract under its version in contract/contract.snapshot.json.
 * A recorded version is never rewritten: changing the outputs means a new CONTRACT_VERSION (major to remove,
 * rename, retype or un-secret an output; minor to add one), which tests/contract.test.ts enforces.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONTRACT_VERSION, OUTPUTS } from "../contract/outputs";

export const SNAPSHOT_PATH = join(__dirname, "..", "contract", "contract.snapshot.json");
export type ContractSnapshot = Record<string, Record<string, { kind: string; secret: boolean }>>;

export function currentShape(): Record<string, { kind: string; secret: boolean }> {
    return Object.fromEntries(Object.entries(OUTPUTS).map(([name, spec]) => [name, { kind: spec.kind, secret: spec.secret ?? false }]));
}

export function readSnapshot(): ContractSnapshot {
    return existsSync(SNAPSHOT_PATH) ? (JSON.parse(readFileSync(SNAPSHOT_PATH, "utf8")) as ContractSnapshot) : {};
}

if (require.main === module) {
    const snapshot = readSnapshot();
    const shape = currentShape();
    const recorded = snapshot[CONTRACT_VERSION];
    if (recorded && JSON.stringify(recorded) !== JSON.stringify(shape)) {
        console.error(`contract ${CONTRACT_VERSION} is already recorded with other outputs: bump CONTRACT_VERSION in contract/outputs.ts (major to remove, rename or retype an output, minor to add one)`);
        process.exit(1);
    }
    snapshot[CONTRACT_VERSION] = shape;
    writeFileSync(SNAPSHOT_PATH, `${JSON.stringify(snapshot, null, 2)}\n`);
    console.log(`recorded contract ${CONTRACT_VERSION} (${Object.keys(shape).length} outputs) in ${SNAPSHOT_PATH}`);
}
