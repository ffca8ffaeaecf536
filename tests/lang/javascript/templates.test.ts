import { describe, expect, it } from 'vitest';
import { engineOfPath, unescapedOutputs } from '../../../src/lang/javascript/templates/outputs.js';
import {
  readTemplates,
  templateOutputsOf,
  viewCandidates,
} from '../../../src/lang/javascript/templates/views.js';
import type { ProjectFiles } from '../../../src/lang/language.js';

/** Each output as `line: local <- expr`. */
function outputs(engine: Parameters<typeof unescapedOutputs>[0], text: string): string[] {
  return unescapedOutputs(engine, text).map((o) => `${o.line}: ${o.local} <- ${o.expr}`);
}

describe('unescaped outputs of template files', () => {
  it('EJS: <%- %> prints raw, <%= %> escapes, include prints a template', () => {
    const text = [
      '<h1><%= title %></h1>',
      '<%- body %>',
      "<%- include('footer', { year }) %>",
      '<%- locals.note %>',
      '<%- JSON.stringify(state) %>',
      '<%- user.bio.trim() -%>',
      "<%- '<hr>' %>",
    ].join('\n');
    expect(outputs('ejs', text)).toEqual([
      '2: body <- body',
      '4: note <- locals.note',
      '5: state <- JSON.stringify(state)',
      '6: user <- user.bio.trim()',
    ]);
  });

  it('Pug: !{}, != lines and attributes; code and comparisons are not outputs', () => {
    const text = [
      'div.card',
      '  h3 #{owner}',
      '  p!= summary',
      '  - if (owner != null)',
      '  if a != b',
      '    span!{note}',
      '  a(href!=target, title="x")= label',
      '  != footer',
      '  p= escaped',
    ].join('\n');
    expect(outputs('pug', text)).toEqual([
      '6: note <- note',
      '3: summary <- summary',
      '7: target <- target',
      '8: footer <- footer',
    ]);
  });

  it('Handlebars and Mustache: {{{x}}} and {{& x}}; a helper with arguments is not a value', () => {
    const text = '{{name}}\n{{{bio}}}\n{{& note}}\n{{{markdown body}}}\n{{{this.title}}}\n{{{../parent}}}';
    expect(outputs('handlebars', text)).toEqual([
      '2: bio <- bio',
      '3: note <- note',
      '5: title <- this.title',
    ]);
  });

  it('Nunjucks: | safe, autoescape false blocks, and outputs raw when autoescape is off', () => {
    const text = [
      '{{ a }}',
      '{{ b | safe }}',
      '{{ c | escape | safe }}',
      '{% autoescape false %}',
      '{{ d }}',
      '{% endautoescape %}',
    ].join('\n');
    expect(outputs('nunjucks', text)).toEqual(['1: a <- a', '2: b <- b', '5: d <- d']);
    // `{{ a }}` is raw only where the environment does not escape.
    expect(
      unescapedOutputs('nunjucks', text)
        .filter((o) => o.unlessAutoescape)
        .map((o) => o.local),
    ).toEqual(['a']);
  });

  it('knows the engines by extension', () => {
    expect(
      ['a.ejs', 'a.pug', 'a.jade', 'a.hbs', 'a.mustache', 'a.njk', 'a.html', 'a.tpl'].map(engineOfPath),
    ).toEqual(['ejs', 'pug', 'pug', 'handlebars', 'handlebars', 'nunjucks', undefined, undefined]);
  });
});

describe('the templates a file renders', () => {
  const tree: Record<string, string> = {
    'app/views/profile.ejs': '<%- bio %>',
    'app/views/plain.ejs': '<%= bio %>',
    'views/shared.pug': 'p!= text',
  };
  const files: ProjectFiles = {
    read: async (path) => tree[path],
    isFile: async (path) => path in tree,
    find: async () => [],
  };

  it('reads the views the text names, by path from the file, with their outputs', async () => {
    const text = "app.set('view engine', 'ejs');\nres.render('profile', { bio });\nres.render('plain', {});";
    const imports = await readTemplates(files, 'app/routes/users.js', text);
    expect(templateOutputsOf(imports, '../views/profile.ejs')).toEqual([
      { line: 1, local: 'bio', expr: 'bio' },
    ]);
    expect(templateOutputsOf(imports, '../views/plain.ejs')).toEqual([]);
    expect(templateOutputsOf(imports, '../views/missing.ejs')).toBeUndefined();
  });

  it('reads the views up to its cap, and says when a file names more', async () => {
    const text = "app.set('view engine', 'ejs');\nres.render('profile', { bio });\nres.render('plain', {});";
    const notes: string[] = [];
    const all = await readTemplates(files, 'app/routes/users.js', text, (n) => notes.push(n));
    expect(notes).toEqual([]);
    // Each name has 8 candidates (views/ and ./, from the file's folder and three above).
    const capped = await readTemplates(files, 'app/routes/users.js', text, (n) => notes.push(n), 8);
    expect(templateOutputsOf(capped, '../views/profile.ejs')).toEqual(
      templateOutputsOf(all, '../views/profile.ejs'),
    );
    expect(templateOutputsOf(capped, '../views/plain.ejs')).toBeUndefined();
    expect(notes).toEqual([
      'app/routes/users.js: its render calls name more than 8 possible view files; the views past them were not read, so their unescaped outputs are not checked',
    ]);
  });

  it('reads nothing for a file that renders nothing', async () => {
    expect(await readTemplates(files, 'app/index.js', "res.send('profile')")).toEqual({});
  });

  it('lists a name with each extension in each folder', () => {
    expect(viewCandidates('a', ['views', '../views'], ['ejs', 'pug'])).toEqual([
      'views/a.ejs',
      'views/a.pug',
      '../views/a.ejs',
      '../views/a.pug',
    ]);
    expect(viewCandidates('a.hbs', ['views'], ['ejs'])).toEqual(['views/a.hbs']);
  });
});
