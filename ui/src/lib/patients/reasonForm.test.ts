import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReasonForm } from './reasonForm.svelte';

function refused(code: string, message: string, field: string | null = null) {
  return { code, message, field };
}

describe('ReasonForm', () => {
  let focused: string[];

  beforeEach(() => {
    focused = [];
    vi.stubGlobal('document', {
      getElementById: (id: string) => ({ focus: () => focused.push(id) }),
    });
  });

  afterEach(() => vi.unstubAllGlobals());

  it('sends, and is busy only while sending', async () => {
    const form = new ReasonForm('cancel-reason', 'cancel_reason');
    let busyWhileSending = false;
    const error = await form.send(async () => {
      busyWhileSending = form.busy;
    }, vi.fn());
    expect(error).toBeNull();
    expect(busyWhileSending).toBe(true);
    expect(form.busy).toBe(false);
  });

  it('puts a refused reason under the field it names and focuses the field', async () => {
    const form = new ReasonForm('cancel-reason', 'cancel_reason');
    const error = await form.send(
      () => Promise.reject(refused('invalid_input', 'Say why it is cancelled.', 'cancel_reason')),
      vi.fn(),
    );
    expect(error?.code).toBe('invalid_input');
    expect(form.reasonError).toBe('Say why it is cancelled.');
    expect(form.formError).toBeNull();
    expect(focused).toEqual(['cancel-reason']);
  });

  it('puts any other refusal above the buttons, and clears it on the next send', async () => {
    const form = new ReasonForm('item-error-reason');
    await form.send(() => Promise.reject(refused('stale_record', 'Someone changed it meanwhile.')), vi.fn());
    expect(form.formError).toBe('Someone changed it meanwhile.');
    expect(form.reasonError).toBeNull();
    expect(focused).toEqual([]);

    await form.send(() => Promise.resolve(), vi.fn());
    expect(form.formError).toBeNull();
  });

  it('asks for a fresh status when the error says the screen no longer fits', async () => {
    const onrefresh = vi.fn();
    const form = new ReasonForm('entered-in-error-reason');
    await form.send(() => Promise.reject(refused('session_ended', 'Signed out.')), onrefresh);
    expect(onrefresh).toHaveBeenCalledTimes(1);
  });

  it('sends once at a time', async () => {
    const form = new ReasonForm('entered-in-error-reason');
    let finish: () => void = () => undefined;
    const send = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const first = form.send(send, vi.fn());
    await expect(form.send(send, vi.fn())).resolves.toBeNull();
    finish();
    await first;
    expect(send).toHaveBeenCalledTimes(1);
  });
});
