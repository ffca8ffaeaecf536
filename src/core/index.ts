export * from './types.js';
export * from './fingerprint.js';
