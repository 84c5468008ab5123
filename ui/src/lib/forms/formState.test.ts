import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandError, ErrorCode } from '../../generated/bindings';
import { appContext } from '../app/context';
import { FormState } from './formState.svelte';

function refused(
  code: ErrorCode,
  message: string,
  field: string | null = null,
  fields?: { field: string; message: string }[],
): CommandError {
  return fields === undefined ? { code, message, field } : { code, message, field, fields };
}

describe('FormState', () => {
  let focused: string[];
  let refresh: ReturnType<typeof vi.fn>;
  let app: ReturnType<typeof appContext>;

  beforeEach(() => {
    focused = [];
    refresh = vi.fn();
    app = appContext(refresh, vi.fn());
    vi.stubGlobal('document', {
      getElementById: (id: string) => ({ focus: () => focused.push(id) }),
    });
  });

  afterEach(() => vi.unstubAllGlobals());

  function setupForm() {
    return new FormState(
      {
        practiceName: 'setup-practice-name',
        ownerFullName: { id: 'setup-full-name', names: ['fullName'] },
        ownerPassword: { id: 'setup-password', names: ['password'] },
      },
      { app },
    );
  }

  it('sends, and is busy only while sending', async () => {
    const form = setupForm();
    let busyWhileSending = false;
    const error = await form.submit(async () => {
      busyWhileSending = form.busy;
    });
    expect(error).toBeNull();
    expect(busyWhileSending).toBe(true);
    expect(form.busy).toBe(false);
  });

  it("puts a refusal under the field Rust names in snake_case, and focuses the field", async () => {
    const form = setupForm();
    const error = await form.submit(() =>
      Promise.reject(refused('invalid_input', 'Enter your full name.', 'owner_full_name')),
    );
    expect(error?.code).toBe('invalid_input');
    expect(form.error('ownerFullName')).toBe('Enter your full name.');
    expect(form.error('practiceName')).toBeNull();
    expect(form.formError).toBeNull();
    expect(focused).toEqual(['setup-full-name']);
  });

  it('knows a field by the other names Rust gives it', async () => {
    const form = setupForm();
    await form.submit(() => Promise.reject(refused('invalid_input', 'Too short.', 'password')));
    expect(form.errors).toEqual({ ownerPassword: 'Too short.' });
  });

  it('puts every wrong field of a list under its field and focuses the first in the form', async () => {
    const form = setupForm();
    await form.submit(() =>
      Promise.reject(
        refused('invalid_input', 'Too short.', 'password', [
          { field: 'password', message: 'Too short.' },
          { field: 'practice_name', message: 'Enter the practice name.' },
          { field: 'path', message: 'No such folder.' },
        ]),
      ),
    );
    expect(form.errors).toEqual({ ownerPassword: 'Too short.', practiceName: 'Enter the practice name.' });
    expect(form.formError).toBe('No such folder.');
    expect(focused).toEqual(['setup-practice-name']);
  });

  it('puts any other refusal above the buttons, and clears it on the next submit', async () => {
    const form = setupForm();
    await form.submit(() => Promise.reject(refused('stale_record', 'Someone changed it meanwhile.')));
    expect(form.formError).toBe('Someone changed it meanwhile.');
    expect(form.errors).toEqual({});
    expect(focused).toEqual([]);

    await form.submit(() => Promise.resolve());
    expect(form.formError).toBeNull();
  });

  it('reports failures through the app: a session that ended refreshes the status', async () => {
    const form = setupForm();
    await form.submit(() => Promise.reject(refused('session_ended', 'Signed out.')));
    expect(refresh).toHaveBeenCalledTimes(1);
    await form.submit(() => Promise.reject(refused('invalid_input', 'Enter the practice name.', 'practice_name')));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('gives a refusal to the form first, and places it only when the form did not deal with it', async () => {
    const form = setupForm();
    const overlap = refused('needs_confirmation', 'Book anyway?', 'starts_at');
    const seen: string[] = [];
    const error = await form.submit(
      () => Promise.reject(overlap),
      (refusal) => {
        seen.push(refusal.code);
        return refusal.code === 'needs_confirmation';
      },
    );
    expect(error).toEqual(overlap);
    expect(seen).toEqual(['needs_confirmation']);
    expect(form.formError).toBeNull();

    await form.submit(() => Promise.reject(refused('internal', 'Try again.')), () => false);
    expect(form.formError).toBe('Try again.');
  });

  it('shows a check the UI made itself as Rust would', async () => {
    const form = setupForm();
    await form.show(refused('invalid_input', 'Enter a name.', 'practice_name'));
    expect(form.errors).toEqual({ practiceName: 'Enter a name.' });
    expect(focused).toEqual(['setup-practice-name']);
    form.clear();
    expect(form.errors).toEqual({});
  });

  it('submits once at a time', async () => {
    const form = new FormState({}, { app });
    let finish: () => void = () => undefined;
    const send = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const first = form.submit(send);
    await expect(form.submit(send)).resolves.toBeNull();
    finish();
    await first;
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('turns what is not a CommandError into a plain sentence above the buttons', async () => {
    const form = new FormState({}, { app });
    await form.submit(() => Promise.reject(new Error('bridge broke')));
    expect(form.formError).toMatch(/could not complete this step/);
  });
});
