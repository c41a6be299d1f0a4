/** The exit codes of `npm run plan`, and which one a plan ends with. */
export const EXIT = { clean: 0, config: 1, usage: 2, crash: 3, policy: 4, fidelity: 5, change: 6 } as const;

/**
 * Config refused (by the stack file, the Pulumi CLI's rules or the program) first, then policy, then fidelity, then
 * a change the engine would stop (previewed against the last deployment).
 */
export function planExitCode(plan: { configError?: unknown; mandatoryViolations?: number; fidelityFindings?: number; changeErrors?: number }): number {
    if (plan.configError) return EXIT.config;
    if (plan.mandatoryViolations) return EXIT.policy;
    if (plan.fidelityFindings) return EXIT.fidelity;
    return plan.changeErrors ? EXIT.change : EXIT.clean;
}

/** What each exit code means, for `--help`, the verdict line and the job summary. */
export const EXIT_MEANING: Readonly<Record<(typeof EXIT)[keyof typeof EXIT], string>> = {
    0: "clean, advisory violations allowed",
    1: "the stack's config is rejected (by the Pulumi CLI's rules or the program's)",
    2: "bad usage (a flag, a stack name or a file given)",
    3: "the program or a policy pack crashed",
    4: "a mandatory policy violation",
    5: "a fidelity finding (the real engine, AWS or a pinned chart would refuse or ignore it)",
    6: "the change previewed with --from would stop pulumi up",
};
