import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { allRules } from '../../../src/rules/registry.js';

const rule = allRules().find((r) => r.id === 'python/unsafe-html-markup')!;

async function findings(text: string) {
  const result = await analyzeSource('views.py', text, 'python', [rule]);
  expect(result.ruleErrors).toEqual([]);
  return result.findings.map((f) => ({
    line: f.location.start.line,
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
        confidence: 'high',
        reason: 'proven flow from `request.GET["note"]` (line 5)',
        message:
          '`django.utils.safestring.SafeText` (called as `SafeText`) marks HTML as safe after formatting `request.GET["note"]` into it without escaping it; it comes from `request.GET["note"]` (line 5), and markup in it runs in the browser.',
        flow: ['5: source: `request.GET["note"]`', '6: marked as safe HTML'],
      },
    ]);
  });

  it('is medium when data of unknown origin is formatted into markup, low when it is marked as is', async () => {
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
    expect(found.map((f) => [f.line, f.confidence, f.flow, f.reason])).toEqual([
      [
        4,
        'medium',
        [],
        'origin unknown: `name` is neither constant nor escaped, and no source is proven to reach it',
      ],
      [
        7,
        'low',
        [],
        'origin unknown: `html` is neither constant nor escaped, and no source is proven to reach it; marked safe as is, as a wrapper of markup does',
      ],
    ]);
    expect(found[0].message).toBe(
      '`markupsafe.Markup` (called as `Markup`) marks HTML as safe after formatting `name` into it without escaping; where it comes from is unknown (no source or caller in the project shows it), and markup in it would reach the page as is.',
    );
    expect(found[1].message).toContain(
      'marks `html` as safe HTML without escaping; where it comes from is unknown',
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
