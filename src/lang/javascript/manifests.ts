/**
 * `package.json` as a dependency manifest: the packages it declares (dependencies, dev, optional and
 * peer), with the lowest release each range allows. An exact version is `exact`; `^1.2.3`, `~1.2.3`,
 * `>=1.2.3` and `1.2.x` are `at-least` their floor; anything else (a tag, a URL, `*`, a union) is `any`.
 */
import type { DeclaredVersion } from '../../core/index.js';

const FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

export function isManifest(name: string): boolean {
  return name === 'package.json';
}

function versionOf(range: string): DeclaredVersion {
  const r = range.trim();
  const exact = /^=?v?(\d+\.\d+\.\d+)$/.exec(r);
  if (exact) return { kind: 'exact', version: exact[1] };
  const floor = /^(\^|~|>=)\s*v?(\d+(\.\d+){0,2})(-[\w.]+)?$/.exec(r) ?? /^()(\d+(\.\d+)?)\.[xX*]$/.exec(r);
  if (floor) return { kind: 'at-least', version: floor[2] };
  return { kind: 'any' };
}

export function readManifest(_name: string, text: string): Map<string, DeclaredVersion> {
  const out = new Map<string, DeclaredVersion>();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return out;
  }
  if (!json || typeof json !== 'object') return out;
  for (const field of FIELDS) {
    const deps = (json as Record<string, unknown>)[field];
    if (!deps || typeof deps !== 'object') continue;
    for (const [pkg, range] of Object.entries(deps as Record<string, unknown>))
      if (typeof range === 'string' && !out.has(pkg)) out.set(pkg, versionOf(range));
  }
  return out;
}
