/**
 * What the Python front end knows about libraries, assembled from the models by concept (see
 * ../models/): where untrusted data enters (sources), which calls make it safe for some weaknesses
 * (sanitizers) or prove it valid (guards), and how library calls treat their arguments
 * (summaries). Sinks are picked by rules by concept (see sinks.ts).
 */
export {
  CHECK_CALLS,
  checkedArgument,
  CHECK_FUNCTIONS,
  CHECK_METHODS,
  CLEAN_CALLS,
  CLEAN_METHODS,
  EXTERNAL_DATA_CALLS,
  HEADER_ENVIRON_PREFIX,
  HEADER_SOURCES,
  isClientEnvironKey,
  isEnvironAttribute,
  LOWER_TRUST_ATTRIBUTES,
  LOWER_TRUST_CALLS,
  LOWER_TRUST_METHODS,
  NESTED_REQUEST_ATTRIBUTES,
  NON_CALLING_CALLS,
  NON_CALLING_MODULES,
  OPERATOR_SOURCES,
  QUERY_APPENDERS,
  QUERY_METHODS,
  RECORD_CALLS,
  REQUEST_NON_TEXT_ATTRIBUTES,
  REQUEST_HANDLER_ATTRIBUTES,
  REQUEST_HANDLER_CLASSES,
  REQUEST_OBJECT_ATTRIBUTES,
  REQUEST_TYPES,
  ROUTED_PATH_ATTRIBUTES,
  SANITIZER_CONDITIONS,
  SANITIZER_METHODS,
  SANITIZERS,
  SOURCE_ATTRIBUTES,
  SOURCE_CALLS,
  SOURCE_NOT_FOR,
  URL_PARSERS,
  URL_PATH_JOINS,
  SINGLETON_ACCESSORS,
} from '../models/index.js';
