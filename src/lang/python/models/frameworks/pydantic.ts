import { defineModel } from '../concepts.js';

/** Pydantic: the constrained types FastAPI validates a route's parameters and bodies against. */
export default defineModel({
  name: 'pydantic',
  nonTextTypes: [
    ...['UUID1', 'UUID3', 'UUID4', 'UUID5'],
    ...['PositiveInt', 'NegativeInt', 'NonNegativeInt', 'NonPositiveInt', 'StrictInt', 'StrictBool'],
    ...['PositiveFloat', 'NegativeFloat', 'NonNegativeFloat', 'NonPositiveFloat', 'StrictFloat'],
    ...['conint', 'confloat', 'condecimal', 'condate', 'FutureDate', 'PastDate', 'AwareDatetime'],
  ].flatMap((t) => [`pydantic.${t}`, `pydantic.types.${t}`]),
});
