/**
 * Validation libraries as data: what a value that passed a validator may hold. A value checked to
 * be a number, a boolean, a UUID, a member of a fixed list or text of an anchored safe character
 * class is no free text for an injection sink; a value checked only to be a string stays text.
 * class-validator decorators apply to a NestJS DTO's fields when a `ValidationPipe` runs on the
 * parameter (its decorator, `@UsePipes` of the method or controller, or a global pipe of the
 * project); zod schemas apply to what their `parse`/`safeParse` returns.
 */

/** class-validator's decorators (by name in the package) that leave no free text in the field. */
export const CLASS_VALIDATOR = {
  package: 'class-validator',
  safe: new Set([
    'IsInt',
    'IsNumber',
    'IsNumberString',
    'IsBoolean',
    'IsBooleanString',
    'IsDate',
    'IsDateString',
    'IsISO8601',
    'IsIn',
    'IsEnum',
    'IsUUID',
    'IsMongoId',
    'IsHexadecimal',
    'IsAlpha',
    'IsAlphanumeric',
    'IsNumeric',
    'IsPositive',
    'IsNegative',
    'IsPort',
    'IsLatitude',
    'IsLongitude',
  ]),
  /** `@Matches(/^[a-z]+$/)`: safe when the pattern is anchored to a safe character class. */
  pattern: 'Matches',
};

/** NestJS's validation pipe, and where a project applies it to every handler. */
export const NEST_VALIDATION = {
  pipe: /^@nestjs\/common\.ValidationPipe$/,
  usePipes: /^@nestjs\/common\.UsePipes$/,
  /** `app.useGlobalPipes(new ValidationPipe(...))`, or the pipe provided as `APP_PIPE`. */
  global: /useGlobalPipes\s*\([^)]*ValidationPipe|APP_PIPE[\s\S]{0,200}?ValidationPipe/,
};

/**
 * zod: the schema builders whose values are no free text, the refinements of `z.string()` that
 * leave none, and the methods that wrap a schema without changing what it lets through.
 */
export const ZOD = {
  package: /^zod(\.z)?$/,
  parse: new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync']),
  safe: new Set([
    'number',
    'bigint',
    'boolean',
    'date',
    'enum',
    'nativeEnum',
    'literal',
    'nan',
    'null',
    'undefined',
  ]),
  /** Refinements of `z.string()` whose text is of a fixed form with no quote, separator or shell syntax. */
  safeString: new Set(['uuid', 'cuid', 'cuid2', 'ulid', 'datetime', 'date', 'time', 'ip', 'ipv4', 'ipv6']),
  /** `z.string().regex(/^\w+$/)`: safe when the pattern is anchored to a safe character class. */
  pattern: 'regex',
  /** Methods that keep what the schema lets through (or add `undefined`/`null`/a constant default). */
  keeps: new Set([
    'optional',
    'nullable',
    'nullish',
    'default',
    'describe',
    'min',
    'max',
    'length',
    'int',
    'positive',
    'negative',
    'nonnegative',
    'nonpositive',
    'finite',
    'safe',
    'multipleOf',
    'step',
    'nonempty',
    'refine',
    'superRefine',
    'brand',
    'readonly',
    'catch',
    'strict',
    'strip',
    'toLowerCase',
    'toUpperCase',
    'trim',
  ]),
  /** Containers: `z.object({...})` by field, `z.array(s)` and the union of schemas by their items. */
  object: new Set(['object', 'strictObject']),
  array: new Set(['array', 'set']),
  union: new Set(['union', 'discriminatedUnion']),
};
