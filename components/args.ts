/** What every component does with its args before registering anything: fill defaults, reject what it cannot build. */
import { isKmsDeletionWindow, KMS_DELETION_WINDOW_ALLOWED } from "../model/kms";

/** The args without their undefined fields, so spreading them over defaults keeps the defaults. */
export function stripUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Rejects a KMS deletion window KMS would refuse (model/kms.ts), through the component's rejecter. */
export function checkKmsDeletionWindow(fail: (field: string, value: unknown, allowed: string) => never, days: number): void {
    if (!isKmsDeletionWindow(days)) fail("kmsKeyDeletionWindowDays", days, KMS_DELETION_WINDOW_ALLOWED);
}

/** A function that throws the component's arg error: it names the field, the value and what is allowed. */
export function argsRejecter(component: string): (field: string, value: unknown, allowed: string) => never {
    return (field, value, allowed) => {
        throw new Error(`${component}: ${field} = ${JSON.stringify(value)} is not allowed; allowed: ${allowed}`);
    };
}
