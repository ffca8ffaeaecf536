import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';

/**
 * Runs the command-injection rule over functions whose parameter `input` is a source; returns the
 * lines it reports and the lines marked `// vuln` (each test's code marks exactly what is expected).
 */
async function check(body: string): Promise<{ found: number[]; expected: number[] }> {
  const text = `const { execSync } = require('child_process');\n${body}`;
  const rule = findRule('javascript/os-command-injection')!;
  const result = await analyzeSource('app.js', text, 'javascript', [rule], undefined, {
    options: { sources: [{ parameter: 'input', label: 'the input' }] },
  });
  const expected = text.split('\n').flatMap((l, i) => (l.includes('// vuln') ? [i + 1] : []));
  return { found: result.findings.map((f) => f.location.start.line).sort((a, b) => a - b), expected };
}

describe('JavaScript dataflow: conditions with a known value take one branch', () => {
  it('if, else, ternaries, logical operators and switch on constants', async () => {
    const { found, expected } = await check(`
function a(input) {
  let cmd = 'ls';
  if (2 * 3 === 7) cmd = input;
  execSync(cmd);
  if (!false) execSync(input); // vuln
}
function b(input) {
  const DEBUG = false;
  if (DEBUG) { execSync(input); } else { execSync('ls'); }
  const c = 'a' < 'b' ? 'date' : input;
  execSync(c);
  execSync(DEBUG && input);
  execSync(DEBUG || input); // vuln
}
function c(input) {
  let cmd = 'ls';
  switch (2) {
    case 1:
      cmd = input;
      break;
    case 2:
      cmd = 'pwd';
  }
  execSync(cmd);
  const mode = 'x';
  switch (mode) {
    case 'x':
      cmd = input;
    case 'y':
      execSync(cmd); // vuln
      break;
    default:
      execSync(input);
  }
}
function d(input, flag) {
  let cmd = 'ls';
  if (flag) cmd = input;
  execSync(cmd); // vuln
}
`);
    expect(found).toEqual(expected);
  });
});

describe('JavaScript dataflow: loops, break and continue', () => {
  it('a break or continue ends the path; constant bounds run as the program does', async () => {
    const { found, expected } = await check(`
function a(input) {
  let cmd = 'ls';
  for (let i = 0; i < 10; i++) {
    if (i === 3) {
      cmd = input;
      break;
    }
    execSync(cmd);
  }
  execSync(cmd); // vuln
}
function b(input) {
  let cmd = 'ls';
  for (let i = 0; i < 5; i++) {
    if (i === 2) {
      cmd = input;
      continue;
    }
    execSync(cmd); // vuln
  }
}
function c(input) {
  let cmd = input;
  for (let i = 0; i < 2; i++) cmd = 'ls';
  execSync(cmd);
  let once = 'ls';
  for (let i = 0; i < 1; i++) {
    execSync(once);
    once = input;
  }
}
function d(input, items) {
  let cmd = 'ls';
  outer: for (const x of items) {
    for (const y of items) {
      if (y) continue outer;
      cmd = input;
    }
  }
  execSync(cmd); // vuln
  while (true) {
    cmd = 'pwd';
    break;
  }
  execSync(cmd);
}
`);
    expect(found).toEqual(expected);
  });
});

describe('JavaScript dataflow: Map and Set', () => {
  it('entries with constant keys are kept apart; delete and clear remove them', async () => {
    const { found, expected } = await check(`
function a(input) {
  const m = new Map();
  m.set('cmd', input).set('safe', 'ls');
  execSync(m.get('safe'));
  execSync(m.get('cmd')); // vuln
  m.delete('cmd');
  execSync(m.get('cmd'));
}
function b(input, key) {
  const m = new Map([['a', 'ls'], ['b', input]]);
  execSync(m.get('a'));
  execSync(m.get(key)); // vuln
  m.clear();
  execSync(m.get(key));
  m.set(input, 'ls');
  execSync([...m.keys()].join(' ')); // vuln
  execSync(m.get(input));
}
function c(input) {
  const s = new Set(['ls']);
  s.add(input);
  s.delete(input);
  execSync([...s].join(' '));
  s.add(input);
  s.forEach((v) => execSync(v)); // vuln
}
`);
    expect(found).toEqual(expected);
  });
});

describe('JavaScript dataflow: objects, methods and classes', () => {
  it('this in methods, call/apply/bind, class fields, super and getters', async () => {
    const { found, expected } = await check(`
function a(input) {
  const job = {
    cmd: input,
    safe: 'ls',
    run() { execSync(this.cmd); }, // vuln
    check() { execSync(this.safe); },
  };
  job.run();
  job.check();
  function go(extra) { execSync(this.cmd + extra); } // vuln
  go.call({ cmd: 'ls' }, input);
  go.apply({ cmd: 'ls' }, ['-l']);
  const bound = go.bind({ cmd: 'pwd' });
  bound('-a');
}
function b(input) {
  class Base {
    prefix = 'ls';
    #secret = input;
    static tool = input;
    constructor(arg) { this.arg = arg; }
    get line() { return this.#secret; }
    build() { return this.prefix; }
  }
  class Child extends Base {
    constructor(arg) { super(arg); }
    run() {
      execSync(super.build());
      execSync(this.arg); // vuln
      execSync(this.line); // vuln
    }
  }
  new Child(input).run();
  execSync(Base.tool); // vuln
  execSync(new Base('x').build());
}
function c(input) {
  const o = new Object();
  o.cmd = input;
  o.safe = 'ls';
  delete o.cmd;
  execSync(o.cmd);
  Reflect.set(o, 'more', input);
  execSync(o.more); // vuln
  execSync(o.safe);
  execSync(input.toString()); // vuln
}
`);
    expect(found).toEqual(expected);
  });

  it('arrays by index, their mutators, exceptions and promises', async () => {
    const { found, expected } = await check(`
function a(input) {
  const parts = ['ls', input, '-l'];
  execSync(parts[0]);
  execSync(parts[1]); // vuln
  parts.reverse();
  execSync(parts[0]);
  execSync(parts[1]); // vuln
  const more = [];
  more.push(input);
  execSync(more.join(' ')); // vuln
  const filled = new Array(2).fill(input);
  filled.fill('ls');
  execSync(filled[0]);
  const copy = { a: 'ls', b: input };
  for (const k in copy) execSync(copy[k]); // vuln
}
function b(input) {
  try {
    throw input;
  } catch (e) {
    execSync(e); // vuln
  }
  try {
    throw 'ls';
  } catch (e) {
    execSync(e);
  }
}
async function c(input) {
  const p = new Promise((resolve) => setTimeout(() => resolve(input), 1));
  execSync(await p); // vuln
  p.then((v) => execSync(v)); // vuln
  const q = new Promise((resolve) => resolve('ls'));
  execSync(await q);
}
`);
    expect(found).toEqual(expected);
  });
});

describe('JavaScript dataflow: constructor functions and prototypes', () => {
  it('new F() runs F on a new object whose members include F.prototype', async () => {
    const { found, expected } = await check(`
function a(input) {
  function Job(cmd) {
    this.cmd = cmd;
    this.safe = 'ls';
    this.run = function () { execSync(this.cmd); }; // vuln
  }
  const job = new Job(input);
  job.run();
  execSync(job.safe);
  Job.prototype.tool = input;
  execSync(new Job('ls').tool); // vuln
  function Base() {}
  Base.prototype.line = function () { return this.cmd; };
  function Task(cmd) { this.cmd = cmd; }
  Task.prototype = new Base();
  execSync(new Task(input).line()); // vuln
  execSync(new Task('pwd').line());
  const [first, ...others] = ['ls', input, 'x'];
  execSync(first);
  execSync(others[0]); // vuln
  execSync(others[1]);
}
`);
    expect(found).toEqual(expected);
  });
});
