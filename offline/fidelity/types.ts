/** One thing the real engine, AWS or a pinned chart would refuse or silently ignore, found offline. */
export interface FidelityFinding {
    /** Which check found it: "iam", "kubernetes", "helm-values", "addons". */
    check: string;
    /** The resource, as `<type> "<name>"`. */
    resource: string;
    message: string;
}
