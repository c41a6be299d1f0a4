/** The exit codes of `npm run plan`, and which one a plan ends with. */
export const EXIT = { clean: 0, config: 1, usage: 2, crash: 3, policy: 4, fidelity: 5 } as const;

/** Config refused (by the stack file, the Pulumi CLI's rules or the program) first, then policy, then fidelity. */
export function planExitCode(plan: { configError?: unknown; mandatoryViolations?: number; fidelityFindings?: number }): number {
    if (plan.configError) return EXIT.config;
    if (plan.mandatoryViolations) return EXIT.policy;
    return plan.fidelityFindings ? EXIT.fidelity : EXIT.clean;
}
