import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { holdFocus } from './focus';

/** Stands in for an element: records focus moves into the shared log. */
class FakeElement {
  isConnected = true;
  constructor(
    private readonly name: string,
    private readonly log: string[],
  ) {}
  focus() {
    this.log.push(this.name);
  }
}

describe('holdFocus', () => {
  let log: string[];
  let field: FakeElement;

  beforeEach(() => {
    log = [];
    field = new FakeElement('field', log);
    vi.stubGlobal('HTMLElement', FakeElement);
    vi.stubGlobal('document', { activeElement: field });
  });

  afterEach(() => vi.unstubAllGlobals());

  it('takes focus when shown and gives it back when gone', () => {
    const warning = new FakeElement('warning', log);
    const held = holdFocus(warning as unknown as HTMLElement);
    expect(log).toEqual(['warning']);
    held.destroy();
    expect(log).toEqual(['warning', 'field']);
  });

  it('does not give focus back to an element that has left the page', () => {
    const held = holdFocus(new FakeElement('warning', log) as unknown as HTMLElement);
    field.isConnected = false;
    held.destroy();
    expect(log).toEqual(['warning']);
  });
});
