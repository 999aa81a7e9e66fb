/**
 * Synapses, host-free part: definitions, Python-exact JSON and reprs, signatures, terminal info
 * (both SDK entries). Body hashes, headers and nonces use `node:crypto` and live in index.ts.
 */
export {
  type AnySynapseDefinition,
  BASE_FIELDS,
  BaseSynapse,
  cloneSynapse,
  DEFAULT_SYNAPSE_TIMEOUT,
  type DefineSynapseParameters,
  type DefineSynapseReturnType,
  defineSynapse,
  definitionOf,
  parseBodyFields,
  parseResponseFields,
  type ResponseFields,
  type Synapse,
  type SynapseBase,
  type SynapseBaseInit,
  type SynapseDefinition,
  type SynapseField,
  type SynapseInit,
  type SynapseOf,
  synapseFrom,
} from './define.js';
export { type SynapseErrorCode, SynapseParseError } from './errors.js';
export { isFloatLiteral, pyKeyOrder } from './marks.js';
export {
  type DumpPyJsonOptions,
  dumpPyJson,
  JsonSyntaxError,
  type ParsePyJsonOptions,
  parsePyJson,
} from './py-json.js';
export { type PyModelField, type PyType, pyStr, pyTypeOf, resolvePyType } from './py-type.js';
export { pyBytesRepr, pyFloatRepr, pyIntStr, pyStrRepr } from './python-repr.js';
export {
  checkMessageSignature,
  defaultVerifier,
  type MessageSigner,
  type RequestSignatureFields,
  type ResponseSignatureFields,
  requestSignatureMessage,
  responseSignatureMessage,
  type SignatureVerifier,
  signMessage,
  verifyMessage,
} from './signature.js';
export {
  emptyTerminal,
  TERMINAL_FIELDS,
  TERMINAL_PY_TYPE,
  type TerminalInfo,
  terminalFromJson,
} from './terminal.js';
export { VERSION_AS_INT } from './version.js';
export { toBody } from './wire.js';
