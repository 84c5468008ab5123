// The second-factor commands. Like api/commands.ts, each resolves with the command's value or
// rejects with a CommandError.
import type { AppStatus, TotpEnrolmentView } from '../../generated/bindings';
import { call } from '../api/commands';

export function verifySecondFactor(code: string): Promise<AppStatus> {
  return call<AppStatus>('verify_second_factor', { code });
}

export function beginSecondFactorEnrolment(): Promise<TotpEnrolmentView> {
  return call<TotpEnrolmentView>('begin_second_factor_enrolment');
}

/** Resolves with the ten recovery codes, to be shown once. */
export function confirmSecondFactorEnrolment(code: string): Promise<string[]> {
  return call<string[]>('confirm_second_factor_enrolment', { code });
}

/** Groups a base32 secret in fours so it can be typed into an authenticator app by hand. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}
