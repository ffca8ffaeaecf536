import { treeSitterGrammar } from '../../parsing/parser.js';

/** Python's grammar, shared by the pack and the models that parse excerpts of other modules. */
export const pythonGrammar = treeSitterGrammar('python', 'tree-sitter-python/tree-sitter-python.wasm');
