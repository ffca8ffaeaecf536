import { describe, expect, it } from 'vitest';
import { SharedValues } from '../../src/engine/shared-values.js';

describe('values shared by the threads of a review', () => {
  it('works a value out once: another view of the same memory reads it without making it', () => {
    const one = SharedValues.create(10, 1 << 16);
    const two = new SharedValues(one.buffers);
    let made = 0;
    const make = (): { statements: string[] } => {
      made++;
      return { statements: ['import re', 'X = "é"'] };
    };
    expect(one.get('python-statements\0pkg/a.py', make)).toEqual({ statements: ['import re', 'X = "é"'] });
    expect(two.get('python-statements\0pkg/a.py', make)).toEqual({ statements: ['import re', 'X = "é"'] });
    expect(made).toBe(1);
    expect(two.get('python-statements\0pkg/b.py', () => 'other')).toBe('other');
    expect(one.get('python-statements\0pkg/b.py', () => 'not made')).toBe('other');
  });

  it('makes every value where it is asked once its memory is full, and never gives a wrong one', () => {
    const values = SharedValues.create(4, 1);
    const big = 'x'.repeat(70_000);
    let made = 0;
    const make = (): string => {
      made++;
      return big;
    };
    expect(values.get('a', make)).toBe(big);
    expect(values.get('a', make)).toBe(big);
    expect(made).toBe(2);
    expect(values.get('b', () => 'small')).toBe('small');
    expect(values.get('b', () => 'not made')).toBe('small');
  });

  it('keeps apart keys that fill the table', () => {
    const values = SharedValues.create(1, 1 << 20);
    for (let i = 0; i < 1500; i++) values.get(`k${i}`, () => i);
    for (let i = 0; i < 1500; i++) expect(values.get(`k${i}`, () => -1)).toBe(i < 1024 ? i : -1);
  });
});
