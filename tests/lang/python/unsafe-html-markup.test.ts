import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { TEMPLATE_USES_KEY } from '../../../src/lang/python/templates/calls.js';
import { allRules } from '../../../src/rules/registry.js';

const rule = allRules().find((r) => r.id === 'python/unsafe-html-markup')!;

async function findings(text: string) {
  const result = await analyzeSource('views.py', text, 'python', [rule]);
  expect(result.ruleErrors).toEqual([]);
  return result.findings.map((f) => ({
    line: f.location.start.line,
    severity: f.severity,
    confidence: f.confidence,
    reason: f.confidenceReason,
    message: f.message,
    flow: (f.flow ?? []).map((s) => `${s.location.start.line}: ${s.note}`),
  }));
}

describe('python/unsafe-html-markup confidence', () => {
  it('is high, with the flow, when request data reaches markup python/xss does not trace', async () => {
    const found = await findings(
      [
        'from django.http import HttpResponse',
        'from django.utils.safestring import SafeText',
        '',
        'def view(request):',
        '    note = request.GET["note"]',
        '    return HttpResponse(SafeText("<p>%s</p>" % note))',
      ].join('\n'),
    );
    expect(found).toEqual([
      {
        line: 6,
        severity: 'medium',
        confidence: 'high',
        reason: 'proven flow from `request.GET["note"]` (line 5)',
        message:
          '`django.utils.safestring.SafeText` (called as `SafeText`) marks HTML as safe after formatting `request.GET["note"]` into it without escaping it; it comes from `request.GET["note"]` (line 5), and markup in it runs in the browser.',
        flow: ['5: source: `request.GET["note"]`', '6: marked as safe HTML'],
      },
    ]);
  });

  it('is low, saying the origin is unknown, when no source, caller or filter shows where the data comes from', async () => {
    const found = await findings(
      [
        'from markupsafe import Markup',
        '',
        'def title(name):',
        '    return Markup("<h1>%s</h1>" % name)',
        '',
        'def passed(html):',
        '    return Markup(html)',
      ].join('\n'),
    );
    const unknown = (name: string, fn: string) =>
      `the origin is unknown: \`${name}\` is a parameter of \`${fn}\` with no caller in the project that the analysis could follow`;
    expect(found.map((f) => [f.line, f.severity, f.confidence, f.flow, f.reason])).toEqual([
      [4, 'low', 'low', [], unknown('name', 'title')],
      [7, 'low', 'low', [], unknown('html', 'passed')],
    ]);
    expect(found[0].message).toBe(
      `\`markupsafe.Markup\` (called as \`Markup\`) marks HTML as safe after formatting \`name\` into it without escaping; ${unknown('name', 'title')}, and markup in it would reach the page as is.`,
    );
    expect(found[1].message).toContain('marks `html` as safe HTML without escaping; the origin is unknown');
  });

  it('is medium for the unescaped input of a template filter, naming the filter', async () => {
    const found = await findings(
      [
        'from django import template',
        'from django.utils.safestring import mark_safe',
        '',
        'register = template.Library()',
        '',
        '@register.filter(name="user_link")',
        'def user_link(user):',
        '    name = user.display_name',
        '    return mark_safe(f"<a href=\'/u/{user.pk}\'>{name}</a>")',
      ].join('\n'),
    );
    expect(found.map((f) => [f.line, f.severity, f.confidence, f.reason])).toEqual([
      [
        9,
        'medium',
        'medium',
        '`user.display_name` is read from the input of template filter or tag `user_link` and not escaped; the filter cannot know where the page data it is given comes from',
      ],
    ]);
    expect(found[0].message).toContain(
      'page data whose origin a filter cannot know (Django asks filters to escape their input with `conditional_escape` before marking it safe)',
    );
  });

  it('reports a call once, naming each unescaped part', async () => {
    const found = await findings(
      [
        'from django.utils.html import escape',
        'from django.utils.safestring import mark_safe',
        '',
        'def card(user, bio):',
        '    return mark_safe(f"<b>{escape(user)}</b><p>{bio}</p><i>{user.title}</i>")',
      ].join('\n'),
    );
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('after formatting `bio` and `user.title` into it');
  });
});

describe('python/unsafe-html-markup with the templates read in part', () => {
  const tags = [
    'from django import template',
    'from django.utils.safestring import mark_safe',
    'register = template.Library()',
    '',
    '@register.simple_tag',
    'def pane(slug):',
    '    return mark_safe(\'<div id="{}"></div>\'.format(slug))',
    '',
  ].join('\n');
  const lines = async (uses: Record<string, unknown>) => {
    const result = await analyzeSource(
      'shop/templatetags/tabs.py',
      tags,
      'python',
      [rule],
      undefined,
      undefined,
      undefined,
      undefined,
      {
        [TEMPLATE_USES_KEY]: JSON.stringify(uses),
      },
    );
    return result.findings.map((f) => f.location.start.line);
  };

  it('takes a tag every read template passes a literal as constant only when every template was read', async () => {
    const seen = { templates: 2, uses: { pane: { tag: { calls: 2, dynamic: {} } } } };
    expect(await lines(seen)).toEqual([]);
    expect(await lines({ ...seen, partial: true })).toEqual([7]);
    // No read template uses it: unused, unless the unread ones do.
    expect(await lines({ templates: 2, uses: {} })).toEqual([]);
    expect(await lines({ templates: 2, uses: {}, partial: true })).toEqual([7]);
  });
});
