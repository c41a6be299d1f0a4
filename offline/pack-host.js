/**
 * Serves several policy packs from one Node process: `node offline/pack-host.js <pack dir>...`. Each pack keeps
 * its own gRPC Analyzer server on its own loopback port, so the protocol is the one the Pulumi CLI speaks to a
 * pack it starts alone; what is shared is the process and the modules every pack loads (@pulumi/pulumi, gRPC,
 * protobuf), which is most of a pack's start-up. @pulumi/policy serves one pack per module instance, so each
 * pack gets a fresh instance of it. Prints one line of JSON, `{"<dir>": <port>, ...}`, once every pack serves.
 *
 * Plain JavaScript: started with `node`, like the CLI's run-policy-pack, without a TypeScript loader.
 */
const { resolve, sep } = require("node:path");

async function main() {
    const ports = {};
    for (const dir of process.argv.slice(2)) {
        for (const key of Object.keys(require.cache)) {
            if (key.includes(`${sep}@pulumi${sep}policy${sep}`)) delete require.cache[key];
        }
        // @pulumi/policy prints the port it bound with console.log, once its server listens.
        ports[dir] = await new Promise((done, fail) => {
            const log = console.log;
            console.log = (line, ...rest) => {
                if (/^\d+$/.test(String(line)) && rest.length === 0) {
                    console.log = log;
                    done(Number(line));
                } else {
                    log(line, ...rest);
                }
            };
            try {
                require(resolve(dir));
            } catch (error) {
                console.log = log;
                fail(error);
            }
        });
    }
    process.stdout.write(`${JSON.stringify(ports)}\n`);
}

// Stopped by its client: exit cleanly (flushing what Node writes at exit, such as --cpu-prof profiles). The
// client holds our stdin open; when it is gone, however it went, so are we (no orphaned servers).
process.on("SIGTERM", () => process.exit(0));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

main().catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
});
