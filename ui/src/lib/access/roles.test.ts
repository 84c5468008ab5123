import { describe, expect, it } from 'vitest';
import { roleLabel, rolesLabel } from './roles';

describe('role labels', () => {
  it('reads as people say them, in a fixed order', () => {
    expect(roleLabel('front_desk')).toBe('Front desk');
    expect(rolesLabel(['clinician', 'owner'])).toBe('Owner, Clinician');
    expect(rolesLabel([])).toBe('');
  });
});
