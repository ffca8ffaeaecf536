import { defineModel } from '../concepts.js';

/**
 * Active-record ORMs (peewee, Tortoise, Pony): a model class looks its rows up itself
 * (`User.get(User.id == uid)`, `await User.get_or_none(id=uid)`, `User.filter(name=n).first()`).
 * A project class that defines a method of that name runs its own code instead.
 */
export default defineModel({
  name: 'active-record',
  recordBases: ['peewee.Model', 'tortoise.models.Model', 'tortoise.Model'],
  summaries: {
    queryMethods: [
      { receiver: /^[A-Z][a-z]\w*$/, methods: ['get', 'get_or_none', 'get_by_id', 'get_or_create', 'first'] },
      {
        receiver: /^[A-Z][a-z]\w*\.(select|filter|where|all|exclude)\(/,
        methods: ['get', 'get_or_none', 'first', 'filter', 'where', 'order_by', 'exclude', 'all'],
      },
    ],
  },
});
