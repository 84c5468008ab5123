// One way for the front desk's screens to take a failed command: a CommandError to show, and
// a fresh status asked for when the error says the screen no longer fits (the session ended).
import type { CommandError } from '../../generated/bindings';
import { asCommandError, needsFreshStatus } from '../api/invoke';

export function failure(thrown: unknown, onrefresh: () => void): CommandError {
  const error = asCommandError(thrown);
  if (needsFreshStatus(error.code)) {
    onrefresh();
  }
  return error;
}
