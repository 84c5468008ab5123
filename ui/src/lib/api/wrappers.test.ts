import { describe, expect, it } from 'vitest';

// The Rust command files and the UI's wrappers, read as text: one api module per command file,
// exactly one wrapper per command, and no `call(` to a command anywhere else in the UI.
const rust = import.meta.glob('../../../../src-tauri/src/commands/*.rs', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;
const ui = import.meta.glob(['../../**/*.ts', '../../**/*.svelte', '!../../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** The api module for each Rust command file. */
const MODULE_OF: Record<string, string> = {
  'mod.rs': 'session.ts',
  'access.rs': 'access.ts',
  'audit.rs': 'audit.ts',
  'backups.rs': 'backups.ts',
  'chart.rs': 'chart.ts',
  'front_desk.rs': 'frontDesk.ts',
  'patients.rs': 'patients.ts',
};

function commandsIn(source: string): string[] {
  return [...source.matchAll(/#\[tauri::command(?:\([^)]*\))?\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))? )?(?:async )?fn (\w+)/g)].map((match) => match[1]);
}

function callsIn(source: string): string[] {
  return [...source.matchAll(/\bcall(?:<[^>]*>)?\('(\w+)'/g)].map((match) => match[1]);
}

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

describe('command wrappers', () => {
  it('are one api module per Rust command file, with one wrapper per command', () => {
    expect(Object.keys(rust).map(fileName).sort()).toEqual(Object.keys(MODULE_OF).sort());
    for (const [path, source] of Object.entries(rust)) {
      const module = MODULE_OF[fileName(path)];
      const wrappers = callsIn(ui[`./${module}`] ?? '');
      expect(wrappers.sort(), module).toEqual(commandsIn(source).sort());
    }
  });

  it('are nowhere else', () => {
    const modules = new Set(Object.values(MODULE_OF).map((module) => `./${module}`));
    const elsewhere = Object.entries(ui).filter(([path, source]) => !modules.has(path) && callsIn(source).length > 0);
    expect(elsewhere.map(([path]) => path)).toEqual([]);
  });
});
