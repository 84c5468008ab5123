import { describe, expect, it } from 'vitest';
import { groupSecret } from './secret';

describe('groupSecret', () => {
  it('groups a secret in fours for typing by hand', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSW')).toBe('JBSW Y3DP EHPK 3PXP JBSW');
    expect(groupSecret(' AB CD E ')).toBe('ABCD E');
    expect(groupSecret('')).toBe('');
  });
});
