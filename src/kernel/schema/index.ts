export { isCredentialKey, maskUrlSecrets, urlSecrets } from './credential-key.js';
export { didYouMean } from './did-you-mean.js';
export { joinPointer, splitPointer, valueAt } from './json-pointer.js';
export { SchemaCompiler, type ValidateFunction, type Validation, type ValidationCache } from './schema-compiler.js';
export { describeSchemaErrors, type SchemaViolation } from './schema-errors.js';
export { positionOfOffset, SourcePositions, type Position } from './source-position.js';
