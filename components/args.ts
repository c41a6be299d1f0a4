/** What every component does with its args before registering anything: fill defaults, reject what it cannot build. */

/** The args without their undefined fields, so spreading them over defaults keeps the defaults. */
export function stripUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A function that throws the component's arg error: it names the field, the value and what is allowed. */
export function argsRejecter(component: string): (field: string, value: unknown, allowed: string) => never {
    return (field, value, allowed) => {
        throw new Error(`${component}: ${field} = ${JSON.stringify(value)} is not allowed; allowed: ${allowed}`);
    };
}
