import { describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../generated/bindings';
import { statusSource } from './statusSource';

const signedOut: AppStatus = { state: 'signed_out' };
const locked: AppStatus = { state: 'locked', username: 'desk', fullName: 'Dana Desk', recoveryKeyPending: false };

describe('the status source', () => {
  it('gives the first status once and asks Rust for every later one', async () => {
    const ask = vi.fn(() => Promise.resolve(locked));
    const next = statusSource(Promise.resolve(signedOut), ask);
    expect(await next()).toEqual(signedOut);
    expect(ask).not.toHaveBeenCalled();
    // Rust locked by itself (the desktop locked, or its timer ended an idle session): the
    // status of the start must not come back.
    expect(await next()).toEqual(locked);
    expect(await next()).toEqual(locked);
    expect(ask).toHaveBeenCalledTimes(2);
  });
});
