import { describe, expect, it } from 'vitest';
import { projectReview } from '../../src/engine/project-review.js';
import { ResidentModules } from '../../src/engine/resident.js';
import { parseSource } from '../../src/lang/registry.js';
import { allRules } from '../../src/rules/registry.js';

/** A project whose flows cross three modules and a class, so that released modules are read again. */
const FILES: Record<string, string> = {
  'app.py': [
    'from flask import Flask, request',
    'from shop.orders import place, lookup',
    'app = Flask(__name__)',
    '',
    "@app.route('/order')",
    'def order():',
    "    return place(request.args['item'])",
    '',
    "@app.route('/find')",
    'def find():',
    "    return lookup(request.args.get('id'))",
    '',
  ].join('\n'),
  'shop/__init__.py': '',
  'shop/orders.py': [
    'from shop.store import Store',
    'from shop.shell import archive',
    '',
    'def place(item):',
    '    archive(item)',
    '    return Store().add(item)',
    '',
    'def lookup(key):',
    '    return Store().get(key)',
    '',
  ].join('\n'),
  'shop/store.py': [
    'import sqlite3',
    '',
    'class Store:',
    '    def __init__(self):',
    "        self.db = sqlite3.connect('shop.db')",
    '',
    '    def add(self, item):',
    '        self.db.execute("INSERT INTO items VALUES (\'%s\')" % item)',
    '',
    '    def get(self, key):',
    '        return self.db.execute("SELECT * FROM items WHERE id = " + key).fetchone()',
    '',
  ].join('\n'),
  'shop/shell.py': [
    'import os',
    '',
    'def archive(name):',
    '    os.system("tar czf backup.tgz " + name)',
    '',
  ].join('\n'),
};

const sources = Object.entries(FILES).map(([file, text]) => ({ file, text, language: 'python' as const }));

async function passOf(evictAboveMb?: number) {
  return projectReview(
    sources,
    allRules(),
    undefined,
    new Set(Object.keys(FILES)),
    undefined,
    undefined,
    undefined,
    undefined,
    false,
    evictAboveMb,
  );
}

async function findings(evictAboveMb?: number): Promise<string[]> {
  const { files } = await passOf(evictAboveMb);
  return [...files].flatMap(([path, r]) =>
    r.analysis.findings.map(
      (f) =>
        `${f.ruleId} ${path}:${f.location.start.line} via ${(f.flow ?? []).map((s) => `${s.location.file}:${s.location.start.line}`).join(' ')}`,
    ),
  );
}

describe('the project pass within a memory budget', () => {
  it('finds the same flows when every module is released and parsed again as it goes', async () => {
    const expected = [
      'python/sql-injection shop/store.py:8 via app.py:7 app.py:7 shop/orders.py:6 shop/store.py:8',
      'python/sql-injection shop/store.py:11 via app.py:11 app.py:11 shop/orders.py:9 shop/store.py:11',
      'python/os-command-injection shop/shell.py:4 via app.py:7 app.py:7 shop/orders.py:5 shop/shell.py:4',
    ];
    const kept = await findings();
    expect(kept.filter((f) => / via \S+ \S+/.test(f)).sort()).toEqual([...expected].sort());
    // A threshold of 0 MiB: every parse releases the least recently used half of the others.
    expect(await findings(0)).toEqual(kept);
  });

  it('counts the modules it released and parsed again, for --stats', async () => {
    expect((await passOf()).memory).toEqual({ released: 0, reparsed: 0 });
    // At 0 MiB each file's tree is released when its rules have run, and others as the heap grows
    // (how many depends on the collector): every module parsed again was released first.
    const { released, reparsed } = (await passOf(0)).memory;
    expect(released).toBeGreaterThanOrEqual(Object.keys(FILES).length);
    expect(reparsed).toBeGreaterThan(0);
    expect(reparsed).toBeLessThanOrEqual(released);
  });

  it('keeps a released tree usable: the same nodes, types and ids after the parse that restores it', async () => {
    const file = await parseSource('shop/store.py', FILES['shop/store.py'], 'python');
    const before = file.tree.rootNode.descendantsOfType('call').map((n) => [n.id, n.type, n.text]);
    const call = file.tree.rootNode.descendantsOfType('call')[1];
    expect(file.release()).toBe(false);
    let parses = 0;
    file.tree.evictable(() => {
      parses++;
      return file.tree.arrays;
    });
    const arrays = file.tree.arrays;
    expect(file.release()).toBe(true);
    expect(file.tree.resident).toBe(false);
    file.tree.evictable(() => {
      parses++;
      return arrays;
    });
    expect(call.parent?.type).toBe('expression_statement');
    expect(parses).toBe(1);
    expect(file.tree.rootNode.descendantsOfType('call').map((n) => [n.id, n.type, n.text])).toEqual(before);
    expect(file.lineText(8)).toBe('        self.db.execute("INSERT INTO items VALUES (\'%s\')" % item)');
  });
});

describe('ResidentModules', () => {
  it('releases the least recently used half of the other modules when the heap is over the threshold', () => {
    let heap = 10;
    const released: number[] = [];
    const resident = new ResidentModules(100, () => heap);
    for (let i = 0; i < 4; i++) resident.loaded(i, () => released.push(i), false);
    expect(released).toEqual([]);
    resident.touch(0);
    heap = 200;
    resident.loaded(4, () => released.push(4), false);
    expect(released).toEqual([1, 2]);
    expect(resident.evictions).toBe(2);
    // Not again until the heap has grown by an eighth of the threshold.
    resident.loaded(5, () => released.push(5), false);
    expect(released).toEqual([1, 2]);
    heap = 213;
    resident.loaded(6, () => released.push(6), false);
    expect(released).toEqual([1, 2, 3, 0]);
    resident.done(4);
    resident.done(1);
    expect(released).toEqual([1, 2, 3, 0, 4]);
    resident.loaded(1, () => released.push(1), true);
    expect(resident.reloads).toBe(1);
  });
});
