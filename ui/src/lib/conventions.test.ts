import { describe, expect, it } from 'vitest';

// The UI's one way to write a form and take an error, checked on the sources: FormState holds
// busy and errors, the app context takes failures, and nothing threads `onrefresh` any more.
const sources = import.meta.glob(['../**/*.svelte', '../**/*.ts', '!../**/*.test.ts', '!../generated/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const components = Object.entries(sources).filter(([path]) => path.endsWith('.svelte'));

describe('the UI', () => {
  it('keeps no busy flag, field errors or form error of its own in a component', () => {
    expect(components.length).toBeGreaterThan(100);
    expect(components.filter(([, source]) => source.includes('new FormState(')).length).toBeGreaterThan(40);
    const handRolled = components
      .filter(([, source]) => /\blet (busy|fieldErrors|formError)\b[^;\n]*\$state/.test(source))
      .map(([path]) => path);
    expect(handRolled).toEqual([]);
  });

  it('takes failures from the app context, not from an onrefresh prop', () => {
    expect(Object.keys(sources).filter((path) => sources[path].includes('onrefresh'))).toEqual([]);
  });

  it('has one text input component', () => {
    const inputs = components.filter(([path]) => /\/(TextField|InputField)\.svelte$/.test(path)).map(([path]) => path);
    expect(inputs).toEqual(['./forms/TextField.svelte']);
  });
});
