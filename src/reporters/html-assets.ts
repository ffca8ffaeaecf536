/**
 * The style sheet and the script of the HTML report, inlined into every page: the report opens
 * with no network access (its Content-Security-Policy forbids any fetch), on a laptop or in an
 * archive years later.
 */

export const HTML_STYLE = `
:root { --fg: #1d1f21; --muted: #5f6368; --line: #dadce0; --bg: #fff; --code: #f6f8fa;
  --critical: #8e24aa; --high: #c62828; --medium: #b26a00; --low: #1565c0; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 6px; font-family: ui-monospace, monospace; }
.meta, .muted { color: var(--muted); font-size: 13px; }
.verdict { font-size: 18px; padding: 12px 16px; border-radius: 6px; margin: 16px 0; border: 1px solid var(--line); }
.verdict.bad { background: #fdecea; border-color: #f5c2c0; } .verdict.good { background: #e8f5e9; border-color: #b7dfb9; }
.cards { display: flex; flex-wrap: wrap; gap: 8px 32px; margin: 8px 0; align-items: flex-start; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 90px; }
.card b { display: block; font-size: 20px; }
table.summary { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
table.summary td, table.summary th { border-bottom: 1px solid var(--line); padding: 3px 12px 3px 0; text-align: left; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 12px; letter-spacing: .03em; }
.sev-critical { color: var(--critical); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); } .sev-low { color: var(--low); }
#filters { position: sticky; top: 0; background: var(--bg); padding: 8px 0; border-bottom: 1px solid var(--line);
  display: flex; flex-wrap: wrap; gap: 12px; align-items: center; font-size: 14px; z-index: 1; }
#filters select { font: inherit; max-width: 260px; }
#filters fieldset { border: 0; padding: 0; margin: 0; display: inline-flex; gap: 6px; }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 10px 0;
  content-visibility: auto; contain-intrinsic-size: auto 220px; }
.finding.s-critical { border-left-color: var(--critical); } .finding.s-high { border-left-color: var(--high); }
.finding.s-medium { border-left-color: var(--medium); } .finding.s-low { border-left-color: var(--low); }
.finding.suppressed { opacity: .65; }
.finding .head { display: flex; flex-wrap: wrap; gap: 10px; align-items: baseline; }
.finding .where { font-family: ui-monospace, monospace; font-weight: 600; }
.finding .rule { font-family: ui-monospace, monospace; color: var(--muted); font-size: 13px; margin-left: auto; }
pre.code { background: var(--code); border-radius: 4px; padding: 8px 10px; overflow-x: auto; margin: 8px 0;
  font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre.code span.ln { color: var(--muted); user-select: none; display: inline-block; min-width: 3em; }
pre.code .hl { background: #fff3b0; display: inline-block; width: 100%; }
ol.flow { margin: 6px 0; padding-left: 22px; font-size: 14px; }
ol.flow button { font: inherit; border: 0; background: none; padding: 0; color: #0b57d0; cursor: pointer; text-align: left; }
ol.flow li.active button { font-weight: 600; }
.fix { margin: 6px 0 0; } .fix b { color: #2e7d32; }
.hidden { display: none !important; }
details summary { cursor: pointer; }
#count { color: var(--muted); }
@media print {
  #filters, ol.flow button::after { display: none; }
  body { max-width: none; padding: 0; font-size: 12px; }
  .finding { break-inside: avoid; content-visibility: visible; }
  details { display: block; } details > summary { list-style: none; }
  a { color: inherit; text-decoration: none; }
}
`;

/**
 * Filtering: every finding carries its severity, confidence, rule, file and suppression as data
 * attributes, and a filter change walks them once, setting \`hidden\`: a few milliseconds for
 * thousands of findings. Flow steps highlight their line in the finding's code when it is shown.
 */
export const HTML_SCRIPT = `
(function () {
  var findings = Array.prototype.slice.call(document.querySelectorAll('.finding[data-kind="defect"]'));
  var files = Array.prototype.slice.call(document.querySelectorAll('section.file'));
  var form = document.getElementById('filters');
  var count = document.getElementById('count');
  function checked(name) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (i) { out[i.value] = i.checked; });
    return out;
  }
  function apply() {
    var sev = checked('severity'), conf = checked('confidence');
    var rule = form.rule.value, file = form.file.value, sup = form.suppressed.checked;
    var shown = 0;
    for (var i = 0; i < findings.length; i++) {
      var d = findings[i].dataset;
      var ok = sev[d.severity] && conf[d.confidence] && (!rule || d.rule === rule) && (!file || d.file === file) &&
        (sup || d.suppressed !== 'true');
      findings[i].classList.toggle('hidden', !ok);
      if (ok) shown++;
    }
    for (var j = 0; j < files.length; j++) {
      files[j].classList.toggle('hidden', !files[j].querySelector('.finding:not(.hidden)'));
    }
    count.textContent = shown + ' of ' + findings.length + ' shown';
  }
  if (form) {
    form.addEventListener('change', apply);
    form.addEventListener('reset', function () { setTimeout(apply, 0); });
    apply();
  }
  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('ol.flow button');
    if (!button) return;
    var finding = button.closest('.finding');
    Array.prototype.forEach.call(finding.querySelectorAll('ol.flow li'), function (li) { li.classList.remove('active'); });
    Array.prototype.forEach.call(finding.querySelectorAll('pre.code .hl'), function (l) { l.classList.remove('hl'); });
    button.parentNode.classList.add('active');
    var line = finding.querySelector('pre.code [data-line="' + button.dataset.line + '"]');
    if (line) line.classList.add('hl');
  });
})();
`;
