import { describe, expect, it, vi } from 'vitest';
import { UNEXPECTED_ERROR_MESSAGE } from '../api/invoke';
import { appContext } from './context';

describe('appContext', () => {
  it('refreshes the status when a command was refused because the session ended or expired', () => {
    const refresh = vi.fn();
    const app = appContext(refresh, vi.fn());
    expect(app.failure({ code: 'session_ended', message: 'Signed out.', field: null }).code).toBe('session_ended');
    expect(app.failure({ code: 'session_expired', message: 'Locked.', field: null }).code).toBe('session_expired');
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('leaves the status alone for errors the screen shows itself', () => {
    const refresh = vi.fn();
    const app = appContext(refresh, vi.fn());
    const error = { code: 'invalid_input', message: 'Enter the family name.', field: 'family_name' };
    expect(app.failure(error)).toEqual(error);
    expect(app.failure(new Error('bridge broke'))).toEqual({ code: 'internal', message: UNEXPECTED_ERROR_MESSAGE, field: null });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('hands refresh and notify through', () => {
    const refresh = vi.fn();
    const notify = vi.fn();
    const app = appContext(refresh, notify);
    app.refresh();
    app.notify('Restored.');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(notify).toHaveBeenCalledWith('Restored.');
  });
});
