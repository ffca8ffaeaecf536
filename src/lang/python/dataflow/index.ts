/**
 * The Python dataflow front end's public API: the project pass, the query bound to Python's
 * function nodes, the pre-parse test of whether a file may hold an entry point, and the sink
 * matcher over Python's calls.
 */
export { ProjectTaint, queryFromData, type ParsedModule } from './project.js';
export { mayHoldEntryPoint } from './entry-points.js';
export { parsedModules, type ModuleUnit, type ProjectModules } from './interpreter.js';
export { isSinkCall, taintedSinks } from './sinks.js';
export { FUNCTION_TYPES } from './syntax.js';
