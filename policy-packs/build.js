/**
 * Builds each policy pack's entry, `<pack>/dist/index.js`, from its TypeScript with esbuild: the Pulumi CLI
 * then starts the pack from JavaScript (its run-policy-pack type-checks every TypeScript file it loads, which
 * costs seconds per pack on every preview). The bundle holds the pack's policies and policy-packs/lib; the SDKs
 * stay external, resolved from the repository's node_modules. Its first line records a hash of the sources, so a
 * stale entry is detected (`npm run build:packs` rebuilds; the offline plan rebuilds by itself).
 *
 * Plain JavaScript so that `npm ci` (prepare) runs it without a TypeScript loader.
 */
const { createHash } = require("node:crypto");
const { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, existsSync, renameSync } = require("node:fs");
const { join, relative } = require("node:path");

const PACKS_DIR = __dirname;
const PACKS = ["encryption", "container-hardening", "high-availability", "network-exposure"];
const HASH_PREFIX = "// rag-platform pack build, sources ";

/** Every TypeScript source under a directory (built output excluded), in a stable order. */
function sources(dir = PACKS_DIR) {
    return readdirSync(dir)
        .sort()
        .flatMap((name) => {
            const path = join(dir, name);
            if (name === "dist" || name === "node_modules") return [];
            if (statSync(path).isDirectory()) return sources(path);
            return name.endsWith(".ts") ? [path] : [];
        });
}

/** The model code the packs share with the program (bundled into each pack). */
const MODEL_DIR = join(PACKS_DIR, "..", "model");

/** Hash of every pack source: any change to a policy, a pack, lib/ or the model changes it. */
function sourceHash() {
    const hash = createHash("sha256");
    for (const file of [...sources(), ...sources(MODEL_DIR)]) hash.update(relative(PACKS_DIR, file)).update("\0").update(readFileSync(file)).update("\0");
    return hash.digest("hex").slice(0, 16);
}

const entryPath = (pack) => join(PACKS_DIR, pack, "dist", "index.js");

/** The bundle of one pack, as text (esbuild, CommonJS for Node 20+, SDKs external). */
function bundle(pack, hash) {
    const esbuild = require("esbuild");
    const result = esbuild.buildSync({
        entryPoints: [join(PACKS_DIR, pack, "index.ts")],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        packages: "external",
        write: false,
        legalComments: "none",
        banner: { js: `${HASH_PREFIX}${hash}` },
        logLevel: "silent",
    });
    return result.outputFiles[0].text;
}

/** The packs whose entry is missing or was built from other sources. */
function stalePacks(hash = sourceHash()) {
    return PACKS.filter((pack) => !existsSync(entryPath(pack)) || !readFileSync(entryPath(pack), "utf8").startsWith(`${HASH_PREFIX}${hash}\n`));
}

/** Builds the stale packs (all with `force`); returns the ones built. */
function buildPacks({ force = false } = {}) {
    const hash = sourceHash();
    const targets = force ? PACKS : stalePacks(hash);
    for (const pack of targets) {
        mkdirSync(join(PACKS_DIR, pack, "dist"), { recursive: true });
        // Renamed into place: a pack process starting meanwhile (another test worker) reads the old or the new file whole.
        const temporary = `${entryPath(pack)}.${process.pid}.tmp`;
        writeFileSync(temporary, bundle(pack, hash));
        renameSync(temporary, entryPath(pack));
    }
    return targets;
}

module.exports = { PACKS, sourceHash, bundle, stalePacks, buildPacks, entryPath };

if (require.main === module) {
    const built = buildPacks({ force: process.argv.includes("--force") });
    console.log(built.length ? `built ${built.map((p) => `policy-packs/${p}/dist/index.js`).join(", ")}` : "policy packs up to date");
}
