import { describe, expect, it } from 'vitest';
import { readExpected, repeatedNames, testsOfPath } from '../../bench/accuracy-cases.js';

describe('readExpected', () => {
  it('reads rows, skips comments, blank lines and rows without a numeric CWE', () => {
    const csv = [
      '# test name, category, real vulnerability, cwe',
      'a_001_T,accuracy/flow_sensitive,true,78',
      '',
      'loop_stmt/map_002_F, completeness/single_app_tracing ,FALSE,78',
      'broken_003_T,accuracy/x,true,',
    ].join('\r\n');
    expect(readExpected(csv)).toEqual([
      { name: 'a_001_T', category: 'accuracy/flow_sensitive', vulnerable: true, cwe: 78 },
      {
        name: 'loop_stmt/map_002_F',
        category: 'completeness/single_app_tracing',
        vulnerable: false,
        cwe: 78,
      },
    ]);
  });

  it('names the tests listed more than once', () => {
    const rows = readExpected('b_001_T,c,true,78\na_001_T,c,true,78\nb_001_T,c,true,78\n');
    expect(repeatedNames(rows)).toEqual(['b_001_T']);
  });
});

describe('testsOfPath', () => {
  const names = new Set([
    'for_001_T',
    'for_001_T_x',
    'cross_module_001_T',
    'loop_stmt/map_001_T',
    'map/map_001_T',
    'other_002_F',
  ]);

  it('matches a file by the longest test name its base name starts with, whatever the extension', () => {
    expect(testsOfPath('case/a/flow/for_001_T.js', names)).toEqual(['for_001_T']);
    expect(testsOfPath('case/a/flow/for_001_T_x.py', names)).toEqual(['for_001_T_x']);
    expect(testsOfPath('case/a/flow/other_002_F.ts', names)).toEqual(['other_002_F']);
  });

  it('matches the files of a case folder by the folder', () => {
    expect(testsOfPath('case/x/cross_module/cross_module_001_T/B/cross_module_001_T_b.js', names)).toEqual([
      'cross_module_001_T',
    ]);
  });

  it('matches a qualified name only below its folders', () => {
    expect(testsOfPath('case/control_flow/loop_stmt/map_001_T.js', names)).toEqual(['loop_stmt/map_001_T']);
    expect(testsOfPath('case/datatype/map/map_001_T.js', names)).toEqual(['map/map_001_T']);
    expect(testsOfPath('case/datatype/set/map_001_T.js', names)).toEqual([]);
  });

  it('matches nothing for a file of no test', () => {
    expect(testsOfPath('case/a/worker.js', names)).toEqual([]);
  });
});
