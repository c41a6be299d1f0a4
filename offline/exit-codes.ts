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
