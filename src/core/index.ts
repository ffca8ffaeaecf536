export * from './types.js';
export * from './fingerprint.js';
export * from './change.js';
export * from './project.js';
