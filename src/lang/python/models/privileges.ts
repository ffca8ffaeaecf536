/**
 * How a guard's name says it admits only administrators: `check_admin`, `admins_only`,
 * `get_current_active_superuser`, `staff_member_required`, `IsAdminUser`. A name is split into
 * words (snake_case and CamelCase); it needs an administrator word, no negation or alternative
 * before it, and after it only words that qualify a guard (`check_admin_ui` tests a feature flag,
 * `IsAdminOrReadOnly` lets anyone read, `get_admin_client` is no guard).
 */
export const ADMIN_NAME_WORDS = {
  admin: [
    'admin',
    'admins',
    'administrator',
    'administrators',
    'superuser',
    'superusers',
    'superadmin',
    'staff',
    'sysadmin',
  ],
  /** `super` followed by one of these is an administrator word too (`check_super_user`). */
  afterSuper: ['user', 'users', 'admin', 'admins'],
  /** Before the administrator word: the guard admits others too, or the opposite. */
  negations: ['not', 'non', 'no', 'or', 'except', 'unless'],
  /** After it: words that qualify a guard; any other word makes the name something else. */
  qualifiers: [
    'only',
    'required',
    'require',
    'requires',
    'user',
    'users',
    'access',
    'permission',
    'permissions',
    'privilege',
    'privileges',
    'rights',
    'role',
    'roles',
    'member',
    'members',
    'mixin',
    'guard',
    'account',
    'dependency',
    'dep',
    'auth',
    'authorized',
    'authenticated',
    'exists',
    'needed',
  ],
  /**
   * After the administrator word, the words of a permission that lets others only read
   * (`IsAdminOrReadOnly`): for a method that writes it admits only administrators. Then only
   * qualifiers or these words (DRF's OAuth scopes: `IsStaffOrReadOnlyScope`).
   */
  orReadOnly: ['or', 'read', 'only'],
  orReadOnlyTail: ['scope', 'scopes'],
  /** A base class counts only as a guard: one of these words must say it checks (`StaffRequiredMixin`). */
  classGuardWords: ['required', 'only', 'permission', 'access'],
} as const;
