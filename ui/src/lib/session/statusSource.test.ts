import { describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../generated/bindings';
import { FIRST_STATUS_GLOBAL, type PageWithFirstStatus, statusSource, takeFirstStatus } from './statusSource';

const signedOut: AppStatus = { state: 'signed_out' };
const locked: AppStatus = { state: 'locked', username: 'desk', fullName: 'Dana Desk', recoveryKeyPending: false };

describe('the first status', () => {
  it('is the one Rust handed over on the first load, without asking, and is taken from the page', async () => {
    const page: PageWithFirstStatus = { [FIRST_STATUS_GLOBAL]: signedOut };
    const ask = vi.fn(() => Promise.resolve(locked));
    expect(await takeFirstStatus(page, 'navigate', ask)).toEqual(signedOut);
    expect(ask).not.toHaveBeenCalled();
    expect(FIRST_STATUS_GLOBAL in page).toBe(false);
  });

  it('is asked after a reload, when the handed-over one may be out of date', async () => {
    const page: PageWithFirstStatus = { [FIRST_STATUS_GLOBAL]: signedOut };
    const ask = vi.fn(() => Promise.resolve(locked));
    expect(await takeFirstStatus(page, 'reload', ask)).toEqual(locked);
    expect(await takeFirstStatus({ [FIRST_STATUS_GLOBAL]: signedOut }, undefined, ask)).toEqual(locked);
    expect(ask).toHaveBeenCalledTimes(2);
    expect(FIRST_STATUS_GLOBAL in page).toBe(false);
  });

  it('is asked when none, or something that is not a status, was handed over', async () => {
    const ask = vi.fn(() => Promise.resolve(locked));
    for (const handed of [undefined, null, 'signed_out', { screen: 'signed_out' }]) {
      expect(await takeFirstStatus({ [FIRST_STATUS_GLOBAL]: handed }, 'navigate', ask)).toEqual(locked);
    }
    expect(ask).toHaveBeenCalledTimes(4);
  });
});

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
