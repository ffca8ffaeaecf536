import { defineModel, sanitizers } from '../concepts.js';

/** SQLAlchemy. */
export default defineModel({
  name: 'sqlalchemy',
  sanitizers: sanitizers([89], ['sqlalchemy.text().bindparams']),
});
