/**
 * Account policy values (PRODUCT §10). Defaults follow the issue; system settings may override
 * them, never below the floors enforced here.
 */
export interface IdentityPolicy {
  /** Consecutive failed sign-ins that lock the account. */
  lockThreshold: number;
  lockMinutes: number;
  idleMinutes: number;
  absoluteHours: number;
  /** A new password may not equal any of the last N. */
  passwordHistory: number;
  /** 0 = passwords never expire for that kind of account. */
  passwordExpiryDays: { staff: number; owner: number };
  mfaChallengeMinutes: number;
  mfaMaxAttempts: number;
}

export const DEFAULT_POLICY: IdentityPolicy = {
  lockThreshold: 3,
  lockMinutes: 15,
  idleMinutes: 30,
  absoluteHours: 12,
  passwordHistory: 5,
  passwordExpiryDays: { staff: 90, owner: 0 },
  mfaChallengeMinutes: 5,
  mfaMaxAttempts: 5,
};
