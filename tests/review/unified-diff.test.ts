import { afterEach, describe, expect, it } from 'vitest';
import { parseUnifiedDiff, reverseApply } from '../../src/review/diff.js';
import { TempRepo } from './helpers.js';

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.remove();
  repos = [];
});

const OLD = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].join('\n') + '\n';
const NEW = ['a', 'B', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'].join('\n');

describe('unified diffs', () => {
  it('give the status, added and context lines of each file as git writes them', () => {
    const r = new TempRepo();
    repos.push(r);
    r.write('mod.txt', OLD).write('gone.txt', 'x\n').write('moved/old.txt', OLD);
    r.commit('base');
    r.write('mod.txt', NEW).write('new.txt', 'n\n');
    r.git('rm', '-q', 'gone.txt');
    r.git('mv', 'moved/old.txt', 'moved/new.txt');
    r.git('add', '-A');
    const files = parseUnifiedDiff(r.git('diff', '--cached', '-M'));
    expect(files.map(({ hunks: _h, ...f }) => f)).toEqual([
      { file: 'gone.txt', status: 'deleted', added: [], context: [] },
      { file: 'mod.txt', status: 'modified', added: [2, 13], context: [1, 3, 4, 5, 10, 11, 12] },
      { file: 'moved/new.txt', oldFile: 'moved/old.txt', status: 'renamed', added: [], context: [] },
      { file: 'new.txt', status: 'added', added: [1], context: [] },
    ]);
  });

  it('rebuild the old side from the new text, across a missing final newline', () => {
    const r = new TempRepo();
    repos.push(r);
    r.write('mod.txt', OLD);
    r.commit('base');
    r.write('mod.txt', NEW);
    const [file] = parseUnifiedDiff(r.git('diff'));
    expect(reverseApply(NEW, file)).toBe(OLD);
    expect(reverseApply(NEW.replace('f', 'F'), file)).toBe(OLD.replace('f', 'F'));
    // And the other way round: the old side lacked the final newline.
    r.write('mod.txt', NEW).commit('no newline');
    r.write('mod.txt', OLD);
    const [back] = parseUnifiedDiff(r.git('diff'));
    expect(reverseApply(OLD, back)).toBe(NEW);
    // A change in the middle keeps the final newline of the untouched end.
    r.write('mod.txt', OLD).commit('newline again');
    r.write('mod.txt', OLD.replace('c', 'C'));
    const [middle] = parseUnifiedDiff(r.git('diff'));
    expect(reverseApply(OLD.replace('c', 'C'), middle)).toBe(OLD);
    expect(reverseApply(NEW.replace('B', 'x'), file)).toBeUndefined();
  });

  it('accept plain diff -u output without git headers', () => {
    const patch = [
      '--- app.py.orig\t2024-01-01',
      '+++ app.py\t2024-01-02',
      '@@ -1,2 +1,3 @@',
      ' a',
      '+b',
      ' c',
      '',
    ].join('\n');
    const [file] = parseUnifiedDiff(patch);
    expect({ file: file.file, oldFile: file.oldFile, status: file.status, added: file.added }).toEqual({
      file: 'app.py',
      oldFile: 'app.py.orig',
      status: 'renamed',
      added: [2],
    });
  });
});
