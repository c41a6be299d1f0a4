/**
 * AWS KMS's rule for the waiting period before a deleted key is destroyed (ScheduleKeyDeletion's
 * PendingWindowInDays: 7 to 30, checked 2026-12). Config validation and every component that creates a key check
 * the same rule; the platform uses the longest window by default, and prod requires it.
 */
export const KMS_DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;
export const KMS_DELETION_WINDOW_ALLOWED = `an integer from ${KMS_DELETION_WINDOW_DAYS.min} to ${KMS_DELETION_WINDOW_DAYS.max}`;

/** Whether KMS accepts this deletion window. */
export const isKmsDeletionWindow = (days: number) =>
    Number.isInteger(days) && days >= KMS_DELETION_WINDOW_DAYS.min && days <= KMS_DELETION_WINDOW_DAYS.max;
