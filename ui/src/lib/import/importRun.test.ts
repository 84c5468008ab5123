import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ImportRun } from './importRun.svelte';

describe('ImportRun', () => {
  // Stands in for the bridge Tauri puts into the window.
  const bridge = vi.fn<(command: string, args: unknown) => Promise<unknown>>();

  beforeEach(() => {
    bridge.mockReset();
    bridge.mockResolvedValue(null);
    vi.stubGlobal('window', { __TAURI_INTERNALS__: { invoke: bridge } });
  });

  afterEach(() => vi.unstubAllGlobals());

  it('runs one check or import at a time and gives its value', async () => {
    const run = new ImportRun(() => 'failed');
    let finish: (value: number) => void = () => undefined;
    const first = run.run('check', () => new Promise<number>((resolve) => (finish = resolve)));
    expect(run.running).toBe('check');
    await expect(run.run('import', () => Promise.resolve(2))).resolves.toBeNull();
    finish(1);
    await expect(first).resolves.toBe(1);
    expect(run.running).toBeNull();
    expect(run.error).toBeNull();
  });

  it('says why a run failed, in the words it is given', async () => {
    const run = new ImportRun((thrown) => `Refused: ${(thrown as { message: string }).message}`);
    await run.run('import', () => Promise.reject({ code: 'forbidden', message: 'Not allowed.', field: null }));
    expect(run.error).toBe('Refused: Not allowed.');
    expect(run.stopped).toBe(false);
  });

  it('is stopped by Cancel, said as a notice, and Rust is asked to stop', async () => {
    const run = new ImportRun(() => 'failed');
    let fail: (error: unknown) => void = () => undefined;
    const running = run.run('check', () => new Promise((_, reject) => (fail = reject)));
    await run.cancel();
    expect(bridge.mock.calls.map(([command]) => command)).toEqual(['cancel_import']);
    fail({ code: 'cancelled', message: 'Cancelled.', field: null });
    await running;
    expect(run.stopped).toBe(true);
    expect(run.error).toBe('The check was stopped. Nothing was imported.');
    expect(run.cancelling).toBe(false);
  });
});
