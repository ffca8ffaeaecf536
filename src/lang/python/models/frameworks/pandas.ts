import { defineModel } from '../concepts.js';

/**
 * pandas: `pandas.eval`, `DataFrame.eval` and `DataFrame.query` evaluate an expression language
 * whose `python` engine, and `@name` references to the caller's variables, run arbitrary Python.
 * A DataFrame's type is rarely visible where `.query(...)` is called (a parameter, a value read
 * from a store), so the method entries count on any receiver the analysis cannot resolve to
 * something else; the code-injection rule decides from the module and the receiver whether a call
 * is a DataFrame's (see its dataframe.ts). `pandas.read_pickle` is in the pickle model.
 */
export default defineModel({
  name: 'pandas',
  sinks: [
    {
      concept: 'code-evaluation',
      calls: ['pandas.eval'],
      keywords: ['expr'],
      mode: 'eval',
      what: 'pandas expression',
    },
    {
      concept: 'code-evaluation',
      calls: ['.query', '.eval'],
      keywords: ['expr'],
      mode: 'eval',
      what: 'pandas expression',
      knownCallee: /^pandas\./,
    },
  ],
});
