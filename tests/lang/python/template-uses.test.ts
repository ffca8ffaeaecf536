import { describe, expect, it } from 'vitest';
import type { ProjectFiles } from '../../../src/lang/language.js';
import { TEMPLATE_USES_KEY, templateCallResolver } from '../../../src/lang/python/templates/calls.js';
import {
  holdsNoMarkup,
  isTemplateLiteral,
  templateUses,
  type TemplateUses,
} from '../../../src/lang/python/templates/syntax.js';

function usesOf(text: string): Record<string, TemplateUses> {
  const into = new Map<string, TemplateUses>();
  templateUses('t.html', text, into);
  return Object.fromEntries(into);
}

describe('template uses of tags and filters', () => {
  it('tells literals from context values', () => {
    expect(['"a"', "'b c'", '12', '-1.5', 'True', 'None', '_("Save")'].every(isTemplateLiteral)).toBe(true);
    expect(['a', 'a.b', '"a"|lower', 'request.GET.q', '_(x)'].some(isTemplateLiteral)).toBe(false);
  });

  it('takes keys, slugs, checksums and loop counters for values that hold no markup', () => {
    expect(
      [
        '"a"',
        'user.pk',
        'item.unit.checksum',
        'list.tab_slug',
        'order_id',
        'forloop.counter',
        'x.uuid',
      ].every(holdsNoMarkup),
    ).toBe(true);
    expect(['user.name', 'valid', 'paid', 'slugs', 'x.identity', 'forloop'].some(holdsNoMarkup)).toBe(false);
  });

  it("reads a tag's positional and keyword arguments, leaving out `as name`", () => {
    const uses = usesOf(
      '{% load icons %}\n{% spin "a" hidden=False %}\n{% spin item.name css=x as out %}\n{% spin item.pk %}',
    );
    expect(uses.spin.tag).toEqual({ calls: 3, dynamic: { '#0': 't.html:3', '=css': 't.html:3' } });
    expect(uses.load.tag).toEqual({ calls: 1, dynamic: { '#0': 't.html:1' } });
  });

  it("reads a filter's input and argument, in output, in tags and in chains", () => {
    const uses = usesOf(
      '{{ "x"|wrap:"em" }}\n{{ user|link }}\n{% if a|wrap:b %}{% endif %}\n' +
        '{% blocktrans with l=item.user|link %}{% endblocktrans %}\n{{ "y"|lower|wrap:"b" }}',
    );
    expect(uses.wrap.filter).toEqual({ calls: 3, dynamic: { '#0': 't.html:3', '#1': 't.html:3' } });
    expect(uses.link.filter).toEqual({ calls: 2, dynamic: { '#0': 't.html:2' } });
    expect(uses.lower.filter).toEqual({ calls: 1, dynamic: {} });
  });

  it("reads Jinja2's filter calls and white space around the bar", () => {
    const uses = usesOf('{{ name | badge("x", css=style) }}\n{{ "a" | badge(1) }}');
    expect(uses.badge.filter).toEqual({ calls: 2, dynamic: { '#0': 't.html:1', '=css': 't.html:1' } });
  });
});

/** A work tree held in memory, listing its files. */
function memoryFiles(files: Record<string, string>): ProjectFiles {
  return {
    read: (path) => Promise.resolve(files[path]),
    isFile: (path) => Promise.resolve(path.endsWith('.py') && path in files),
    find: (name) => Promise.resolve(Object.keys(files).filter((p) => p.endsWith(`/${name}`))),
    findByExtension: (exts, under, limit) =>
      Promise.resolve(
        Object.keys(files)
          .filter((p) => p.startsWith(under ? `${under}/` : '') && exts.some((e) => p.endsWith(`.${e}`)))
          .slice(0, limit),
      ),
  };
}

/** A tag library registering one simple tag, `pane`. */
const tags =
  'from django import template\nregister = template.Library()\n@register.simple_tag\ndef pane(slug):\n    return slug\n';

describe('the template uses a Python file is given', () => {
  const files = memoryFiles({
    'site/app/__init__.py': '',
    'site/app/templatetags/__init__.py': '',
    'site/app/templatetags/tabs.py': tags,
    'site/app/templates/a.html': '{% load tabs %}{% pane "x" %}{% other y %}',
    'site/templates/b.html': '{% load tabs %}{% pane title %}',
    'elsewhere/c.html': '{% pane z %}',
    'site/app/tests/data/d.html': '{% pane z %}',
  });

  it('reads the templates in template folders of the project above the outermost package, for the names the file registers', async () => {
    const resolve = templateCallResolver(files);
    const imports = await resolve('site/app/templatetags/tabs.py', tags);
    expect(JSON.parse(imports[TEMPLATE_USES_KEY])).toEqual({
      templates: 2,
      uses: { pane: { tag: { calls: 2, dynamic: { '#0': 'templates/b.html:1' } } } },
    });
  });

  it('gives nothing to a file that registers no tag or filter', async () => {
    const resolve = templateCallResolver(files);
    expect(await resolve('site/app/views.py', 'def pane(slug):\n    return slug\n')).toEqual({});
  });
});

describe('a project with more templates than the caps', () => {
  const files = memoryFiles({
    'site/app/__init__.py': '',
    'site/app/templatetags/__init__.py': '',
    'site/app/templatetags/tabs.py': tags,
    'site/app/templates/a.html': '{% pane "x" %}',
    'site/app/templates/b.html': '{% pane "y" %}',
    'site/app/templates/c.html': '{% pane title %}',
    'site/docs/notes.txt': 'no template',
  });

  it('is read in part, says so in a note, and marks the uses partial', async () => {
    const notes: string[] = [];
    const resolve = templateCallResolver(files, (n) => notes.push(n), { listed: 100, templates: 2 });
    const imports = await resolve('site/app/templatetags/tabs.py', tags);
    expect(JSON.parse(imports[TEMPLATE_USES_KEY])).toEqual({
      templates: 2,
      uses: { pane: { tag: { calls: 2, dynamic: {} } } },
      partial: true,
    });
    expect(notes).toEqual([
      'Django/Jinja templates: 3 templates were found under site, and only the first 2 were read; the template tags and filters of that project are checked as if the other templates passed them page data',
    ]);
  });

  it('names the listing cap when the files with a template extension are more than it lists', async () => {
    const notes: string[] = [];
    const resolve = templateCallResolver(files, (n) => notes.push(n), { listed: 3, templates: 5000 });
    const imports = await resolve('site/app/templatetags/tabs.py', tags);
    expect(JSON.parse(imports[TEMPLATE_USES_KEY])).toMatchObject({ templates: 3, partial: true });
    expect(notes).toEqual([
      "Django/Jinja templates: more than 3 files with a template's extension are under site, and only the first 3 were looked at; the template tags and filters of that project are checked as if the other templates passed them page data",
    ]);
  });

  it('is read whole, with no note, within the caps', async () => {
    const notes: string[] = [];
    const resolve = templateCallResolver(files, (n) => notes.push(n));
    const imports = await resolve('site/app/templatetags/tabs.py', tags);
    expect(JSON.parse(imports[TEMPLATE_USES_KEY])).toEqual({
      templates: 3,
      uses: { pane: { tag: { calls: 3, dynamic: { '#0': 'app/templates/c.html:1' } } } },
    });
    expect(notes).toEqual([]);
  });
});
