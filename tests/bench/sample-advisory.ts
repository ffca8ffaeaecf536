import type { Advisory } from '../../bench/advisories-manifest.js';

/** A well-formed advisory entry the manifest and scoring tests start from. */
export const SAMPLE_ADVISORY: Advisory = {
  id: 'GHSA-aaaa-bbbb-cccc',
  project: 'acme/shop',
  vulnerable: 'a'.repeat(40),
  fixed: 'b'.repeat(40),
  folder: 'shop',
  file: 'shop/views.py',
  lines: [20, 24],
  cwe: 78,
  summary: 'shell command built from a query parameter',
};
