/** A derivation script's arguments: `--name value` options taken out, the positional ones left in order. */
export function scriptArgs(argv = process.argv.slice(2)): { option: (name: string) => string | undefined; positional: () => string[] } {
    const rest = [...argv];
    return {
        option: (name) => {
            const i = rest.indexOf(name);
            if (i < 0) return undefined;
            return rest.splice(i, 2)[1];
        },
        positional: () => rest,
    };
}
