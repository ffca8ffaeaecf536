import { describe, expect, it } from 'vitest';
import { refusedBy } from '../../../src/lang/javascript/dataflow/guards.js';

/** Checks named for what they refuse (dataflow/guards.ts `refusedBy`), as the Python pack reads them. */
describe('refusedBy', () => {
  it('reads private, loopback and internal address checks as proving SSRF safety where false', () => {
    for (const name of [
      'isPrivate',
      'isPrivateIp',
      'isLoopback',
      'isReservedAddress',
      'isLinkLocal',
      'isInternalHost',
      'isLocalhost',
      'isLocalHostname',
    ])
      expect(refusedBy(name), name).toEqual({ cwes: [918] });
  });

  it('reads invalid and unsafe checks as proving every weakness where false', () => {
    for (const name of ['isInvalid', 'isInvalidPath', 'isUnsafeUrl', 'unsafeTarget'])
      expect(refusedBy(name), name).toEqual({});
  });

  it('reads deny lists as proving nothing', () => {
    for (const name of [
      'isBlocked',
      'isBlockedHost',
      'isBlacklisted',
      'inDenyList',
      'isForbidden',
      'notAllowed',
      'isDisallowed',
      'isNotAllowedUrl',
    ])
      expect(refusedBy(name), name).toBe('deny-list');
  });

  it('leaves negated names and validators to the other readings', () => {
    for (const name of [
      'isNotPrivate',
      'isNonLocalAddress',
      'notInvalid',
      'isValidUrl',
      'isAllowed',
      'isLocalUrl',
      'validate',
    ])
      expect(refusedBy(name), name).toBeUndefined();
  });
});
