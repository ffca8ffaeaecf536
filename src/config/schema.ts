import { CONFIDENCES, SEVERITIES } from '../core/index.js';
import { SINK_CONCEPTS } from '../dataflow/concepts.js';

/**
 * JSON Schema of `.secreview.yml`. Every key is listed: an unknown key is an error with its line.
 * Sections owned by later features (taint, suggestions, llm, review outputs) are declared here so
 * that validation stays in one place.
 */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { enum: [1] },
    rules: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enable: { type: 'array', items: { type: 'string' } },
        disable: { type: 'array', items: { type: 'string' } },
        severity: { type: 'object', additionalProperties: { enum: [...SEVERITIES] } },
      },
    },
    include: { type: 'array', items: { type: 'string' } },
    exclude: { type: 'array', items: { type: 'string' } },
    'min-confidence': { enum: [...CONFIDENCES] },
    'fail-on': { enum: [...SEVERITIES, 'never'] },
    'max-file-size': { type: 'integer', minimum: 1 },
    'hygiene-as-defects': { type: 'boolean' },
    'examples-as-production': { type: 'boolean' },
    suggestions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        checks: { type: 'array', items: { type: 'string' } },
        disable: { type: 'array', items: { type: 'string' } },
        'max-per-file': { type: 'integer', minimum: 1 },
        limits: {
          type: 'object',
          additionalProperties: false,
          properties: {
            'function-size': { type: 'integer', minimum: 1 },
            'nesting-depth': { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    taint: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sources: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              call: { type: 'string' },
              attribute: { type: 'string' },
              parameter: { type: 'string' },
              label: { type: 'string' },
            },
          },
        },
        sinks: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['call'],
            anyOf: [{ required: ['concept'] }, { required: ['cwe'] }],
            properties: {
              call: { type: 'string' },
              arg: { type: 'integer', minimum: 0 },
              keyword: { type: 'string' },
              concept: { enum: Object.keys(SINK_CONCEPTS) },
              cwe: { type: 'integer', minimum: 1 },
              severity: { enum: [...SEVERITIES] },
            },
          },
        },
        sanitizers: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['call'],
            properties: {
              call: { type: 'string' },
              cwe: { type: 'array', items: { type: 'integer' } },
            },
          },
        },
        'lower-trust-sources': {
          type: 'object',
          additionalProperties: false,
          properties: {
            environment: { type: 'boolean' },
            files: { type: 'boolean' },
            sockets: { type: 'boolean' },
          },
        },
        'operator-input': { enum: ['trusted', 'untrusted'] },
        'admin-input': { enum: ['trusted', 'untrusted'] },
      },
    },
    llm: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        'base-url': { type: 'string', minLength: 1 },
        model: { type: 'string', minLength: 1 },
        'response-format': { enum: ['json_schema', 'json_object', 'none'] },
        temperature: { type: 'number', minimum: 0, maximum: 2 },
        'context-budget': { type: 'integer', minimum: 500 },
        'max-requests': { type: 'integer', minimum: 1 },
        concurrency: { type: 'integer', minimum: 1 },
        timeout: { type: 'number', exclusiveMinimum: 0 },
        retries: { type: 'integer', minimum: 0 },
        'retry-delay': { type: 'number', minimum: 0 },
        'repair-attempts': { type: 'integer', minimum: 0 },
        'move-window': { type: 'integer', minimum: 0 },
        cache: { type: 'boolean' },
      },
    },
    review: {
      type: 'object',
      additionalProperties: false,
      properties: {
        scope: { enum: ['added', 'context', 'file'] },
        'show-existing': { type: 'boolean' },
        baseline: { type: 'string' },
        'report-unused-suppressions': { type: 'boolean' },
        'max-comments': { type: 'integer', minimum: 0 },
        'comment-severity': { enum: [...SEVERITIES] },
      },
    },
    gerrit: {
      type: 'object',
      additionalProperties: false,
      properties: {
        url: { type: 'string', pattern: '^https?://' },
        label: { type: ['string', 'null'] },
        'vote-on-defects': { type: 'integer', minimum: -2, maximum: 2 },
        'vote-on-clean': { type: 'integer', minimum: -2, maximum: 2 },
        notify: { enum: ['NONE', 'OWNER', 'OWNER_REVIEWERS', 'ALL'] },
        timeout: { type: 'integer', minimum: 1 },
      },
    },
    github: {
      type: 'object',
      additionalProperties: false,
      properties: {
        'api-url': { type: 'string', pattern: '^https?://' },
        'event-on-defects': { enum: ['COMMENT', 'REQUEST_CHANGES'] },
        'event-on-clean': { enum: ['COMMENT', 'APPROVE'] },
        timeout: { type: 'integer', minimum: 1 },
      },
    },
    performance: { type: 'object' },
  },
} as const;
