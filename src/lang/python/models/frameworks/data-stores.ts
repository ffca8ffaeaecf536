import { defineModel } from '../concepts.js';

/**
 * Data stores and repositories of the project's own design (a tracking store's
 * `store.get_run(run_id)`, `self.repository.find_model(model_id)`), often chosen at run time from
 * a registry so their class is not known: a getter given an identifier returns the record stored
 * under it, not the identifier, as an ORM lookup does. Told by the receiver's name (a store,
 * repository or DAO, or a call that returns one) and by the first argument, whose text must end in
 * an id (`run_id`, `model_uuid`, `request.args["run_id"]`); a store method given anything else (a
 * path, a name) may hand it back and keeps its taint. A project class that defines the method runs
 * its own code instead.
 */
export default defineModel({
  name: 'data-stores',
  summaries: {
    queryMethods: [
      {
        receiver: /(^|[._"'])(\w+_)?(store|repository|repo|dao)(\(\)|["']\])?$/i,
        methods: ['get', 'find', 'fetch', 'load', 'lookup'],
        methodPattern: /^(get|find|fetch|load|lookup)_\w+$/,
        firstArgument: /(^|_|\b)(id|uuid|pk)["'\])]*$/i,
      },
    ],
  },
});
