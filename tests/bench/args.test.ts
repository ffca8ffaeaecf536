import { describe, expect, it } from 'vitest';
import { benchArgs, type ArgsIo } from '../../bench/args.js';

function recorder(): ArgsIo & { text: { out: string; err: string; code?: number } } {
  const text: { out: string; err: string; code?: number } = { out: '', err: '' };
  return {
    text,
    out: (t) => (text.out += t),
    err: (t) => (text.err += t),
    fail: (c) => (text.code = c),
  };
}

const OPTIONS = { project: { type: 'string', multiple: true }, fetch: { type: 'boolean' } } as const;

describe('benchmark command lines', () => {
  it('parses good arguments', () => {
    const io = recorder();
    const parsed = benchArgs(
      { args: ['DIR', '--project', 'a', '--fetch'], allowPositionals: true, options: OPTIONS },
      'usage: x DIR',
      io,
    );
    expect(parsed?.positionals).toEqual(['DIR']);
    expect(parsed?.values).toEqual({ project: ['a'], fetch: true });
    expect(io.text).toEqual({ out: '', err: '' });
  });

  it('prints the usage for --help and -h, with nothing to run and no failure', () => {
    for (const flag of ['--help', '-h']) {
      const io = recorder();
      expect(
        benchArgs({ args: ['DIR', flag], allowPositionals: true, options: OPTIONS }, 'usage: x DIR', io),
      ).toBe(undefined);
      expect(io.text).toEqual({ out: 'usage: x DIR\n', err: '' });
    }
  });

  it('names an unknown option and prints the usage, failing with 2', () => {
    const io = recorder();
    expect(
      benchArgs({ args: ['--nope'], allowPositionals: true, options: OPTIONS }, 'usage: x DIR', io),
    ).toBe(undefined);
    expect(io.text.code).toBe(2);
    expect(io.text.out).toBe('');
    expect(io.text.err).toMatch(/^Unknown option '--nope'.*\nusage: x DIR\n$/s);
  });
});
