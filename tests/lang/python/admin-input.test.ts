import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { taintOptions } from '../../../src/config/taint.js';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { isAdminGuardName, isAdminWriteGuardName } from '../../../src/lang/python/dataflow/admin-routes.js';
import { allRules } from '../../../src/rules/registry.js';

const root = join(import.meta.dirname, '..', '..', '..');

async function levels(rule: string, path: string, text: string, adminInput?: 'trusted' | 'untrusted') {
  const rules = allRules().filter((r) => r.id === rule);
  const taint = adminInput ? { options: { adminInput } } : undefined;
  const { findings, ruleErrors } = await analyzeSource(path, text, 'python', rules, undefined, taint);
  expect(ruleErrors).toEqual([]);
  return findings.map((f) => `${f.location.start.line} ${f.severity}/${f.confidence}: ${f.confidenceReason}`);
}

function fixture(name: string, adminInput?: 'trusted' | 'untrusted') {
  const path = `src/lang/python/rules/path-traversal/fixtures/${name}`;
  return levels('python/path-traversal', path, readFileSync(join(root, path), 'utf8'), adminInput);
}

const only = (guard: string) =>
  `only administrators reach this route (\`${guard}\`), so the flow needs administrator privileges`;

describe('request data only administrators can send', () => {
  it('FastAPI: route, router and inclusion dependencies and parameters that admit only administrators make a flow low', async () => {
    expect(await fixture('admin_routes.py')).toEqual([
      `50 low/high: proven flow from route parameter \`name\` (line 48); ${only('check_admin')}`,
      '56 high/high: proven flow from route parameter `name` (line 54)',
      '62 high/high: proven flow from route parameter `name` (line 60)',
      '68 high/high: proven flow from route parameter `name` (line 66)',
      `74 low/high: proven flow from route parameter \`name\` (line 72); ${only('get_current_active_superuser')}`,
      `80 low/high: proven flow from route parameter \`name\` (line 78); ${only('check_admin')}`,
      `86 low/high: proven flow from route parameter \`name\` (line 84); ${only('check_admin')}`,
      `92 low/high: proven flow from route parameter \`name\` (line 90); ${only('check_admin')}`,
      '98 high/high: proven flow from route parameter `names` (line 102)',
      `123 low/high: proven flow from \`sys.argv[1]\` (line 123); ${only('check_admin')}`,
    ]);
  });

  it('Django and DRF: admin decorators, user tests, admin classes and permission classes (write-only ones for writing methods)', async () => {
    expect(await fixture('admin_views.py')).toEqual([
      `22 low/high: proven flow from \`request.GET["name"]\` (line 20); ${only('staff_member_required')}`,
      '29 high/high: proven flow from `request.GET["name"]` (line 27)',
      `35 low/high: proven flow from \`request.POST["name"]\` (line 35); ${only('user_passes_test(is_superuser)')}`,
      '42 high/high: proven flow from `request.POST["name"]` (line 42)',
      `50 low/high: proven flow from \`request.POST["name"]\` (line 50); ${only('staff_member_required')}`,
      `57 low/high: proven flow from \`request.POST["name"]\` (line 57); ${only('ModelAdmin')}`,
      `66 low/high: proven flow from \`request.data["name"]\` (line 66); ${only('IsAdminUser')}`,
      '75 high/high: proven flow from `request.data["name"]` (line 75)',
      `83 low/high: proven flow from \`request.data["name"]\` (line 83); ${only('IsAdminUser')}`,
      // Staff may write, anyone may read: the write is staff's, the read anyone's.
      `103 low/high: proven flow from \`request.data["name"]\` (line 103); ${only('IsStaffOrReadOnly')}`,
      '108 high/high: proven flow from `request.GET["name"]` (line 108)',
      '116 high/high: proven flow from `request.data["name"]` (line 116)',
    ]);
  });

  it("Django: a view's own check of the user's administrator flag that raises or returns makes what it reads after low", async () => {
    expect(await fixture('admin_checks.py')).toEqual([
      `15 low/high: proven flow from \`request.POST["name"]\` (line 15); ${only('request.user.is_superuser')}`,
      `23 low/high: proven flow from \`request.POST["old"]\` (line 23); ${only('request.user.is_staff')}`,
      // Read before the check; checked on one path only; others pass with a permission; a helper
      // that returns False to a caller that goes on.
      '33 high/high: proven flow from `request.POST["name"]` (line 28)',
      '43 high/high: proven flow from `request.GET["name"]` (line 43)',
      '51 high/high: proven flow from `request.GET["name"]` (line 51)',
      '64 high/high: proven flow from `request.POST["name"]` (line 64)',
      // A helper of a helper that raises.
      `79 low/high: proven flow from \`request.POST["name"]\` (line 79); ${only('request.user.is_superuser')}`,
    ]);
  });

  it('Flask: a decorator the project names for administrators', async () => {
    expect(await fixture('admin_decorators.py')).toEqual([
      `26 low/high: proven flow from route parameter \`name\` (line 24); ${only('admins_only')}`,
      '33 high/high: proven flow from route parameter `name` (line 31)',
      `40 low/high: proven flow from \`request.form["name"]\` (line 40); ${only('admins_only')}`,
    ]);
  });

  it('says which guard in the message, and keeps the CWE', async () => {
    const path = 'src/lang/python/rules/path-traversal/fixtures/admin_routes.py';
    const rules = allRules().filter((r) => r.id === 'python/path-traversal');
    const { findings } = await analyzeSource(path, readFileSync(join(root, path), 'utf8'), 'python', rules);
    const first = findings[0];
    expect([first.cwe, first.severity, first.message]).toEqual([
      22,
      'low',
      '`os.remove` uses a file path built from route parameter `name` (line 48); `../` or an absolute path in it reaches files outside the intended directory; only administrators reach this route (`check_admin`).',
    ]);
  });

  it('under `taint.admin-input: untrusted` an administrator is any client', async () => {
    const lines = await fixture('admin_routes.py', 'untrusted');
    expect(lines).toEqual([
      '50 high/high: proven flow from route parameter `name` (line 48)',
      '56 high/high: proven flow from route parameter `name` (line 54)',
      '62 high/high: proven flow from route parameter `name` (line 60)',
      '68 high/high: proven flow from route parameter `name` (line 66)',
      '74 high/high: proven flow from route parameter `name` (line 72)',
      '80 high/high: proven flow from route parameter `name` (line 78)',
      '86 high/high: proven flow from route parameter `name` (line 84)',
      '92 high/high: proven flow from route parameter `name` (line 90)',
      '98 high/high: proven flow from route parameter `names` (line 102)',
      '123 high/high: proven flow from `sys.argv[1]` (line 123)',
    ]);
  });

  it('injection rules that decide by origin report an administrator-only flow low', async () => {
    const text = [
      'from fastapi import APIRouter, Depends',
      'from app.deps import check_admin, db',
      'router = APIRouter()',
      '@router.get("/admin/report", dependencies=[Depends(check_admin)])',
      'def report(table: str):',
      '    return db.execute(f"SELECT * FROM {table}")',
      '@router.get("/report")',
      'def open_report(table: str):',
      '    return db.execute(f"SELECT * FROM {table}")',
      '',
    ].join('\n');
    expect(await levels('python/sql-injection', 'app/report.py', text)).toEqual([
      `6 low/high: proven flow from route parameter \`table\` (line 5); ${only('check_admin')}`,
      '9 high/high: proven flow from route parameter `table` (line 8)',
    ]);
  });

  it('reads `taint.admin-input` from the config and refuses other values', () => {
    const config = parseConfig('version: 1\ntaint:\n  admin-input: untrusted\n', '.secreview.yml');
    expect(taintOptions(config)).toEqual({ adminInput: 'untrusted' });
    expect(() => parseConfig('version: 1\ntaint:\n  admin-input: sometimes\n', '.secreview.yml')).toThrow(
      /admin-input/,
    );
  });

  it('tells administrator guards by their names', () => {
    const admin = [
      'check_admin',
      'admins_only',
      'get_current_active_superuser',
      'require_superuser',
      'check_super_user',
      'staff_member_required',
      'IsAdminUser',
      'admin_required',
    ];
    const others = [
      'check_extension_builder',
      'check_user_exists',
      'login_required',
      'check_admin_ui',
      'IsAdminOrReadOnly',
      'is_not_admin',
      'get_admin_client',
      'authed_only',
    ];
    expect(admin.filter((n) => !isAdminGuardName(n))).toEqual([]);
    expect(others.filter((n) => isAdminGuardName(n))).toEqual([]);
    expect(isAdminGuardName('StaffRequiredMixin', true)).toBe(true);
    expect(isAdminGuardName('AdminMixin', true)).toBe(false);
  });

  it('tells permissions that let only administrators write by their names', () => {
    const writes = [
      'IsAdminOrReadOnly',
      'IsStaffOrReadOnlyScope',
      'IsSuperuserOrReadOnly',
      'AdminOrReadOnlyPermission',
    ];
    const others = [
      'IsOwnerOrReadOnly',
      'IsAdminUser',
      'IsNotAdminOrReadOnly',
      'IsAdminOrOwner',
      'ReadOnlyOrAdmin',
      'IsAdminOrReadOnlyCache',
    ];
    expect(writes.filter((n) => !isAdminWriteGuardName(n))).toEqual([]);
    expect(others.filter((n) => isAdminWriteGuardName(n))).toEqual([]);
  });
});
