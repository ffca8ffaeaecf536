/**
 * The Python dataflow front end's public API: the project pass, the query bound to Python's
 * function nodes, and the pre-parse test of whether a file may hold an entry point.
 */
export { ProjectTaint, queryFromData, type ParsedModule } from './project.js';
export { mayHoldEntryPoint } from './entry-points.js';
export { parsedModules, type ModuleUnit, type ProjectModules } from './interpreter.js';
