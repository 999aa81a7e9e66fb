import { createHash, hash as oneShotHash } from 'node:crypto';
import { type AnySynapseDefinition, definitionOf, type SynapseBase } from './define.js';
import { isFloatLiteral } from './marks.js';
import { type PyModelField, pyStr } from './py-type.js';

/** SHA3-256 of the empty string: the body hash of a synapse with no `required_hash_fields`. */
export const EMPTY_BODY_HASH = 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Python `get_hash(text)`: lowercase hex SHA3-256 of the UTF-8 text. Like Python, text with a
 * lone surrogate cannot be encoded and is rejected (RangeError).
 * @example
 * import { sha3Hex } from '@taoscript/sdk';
 * sha3Hex(''); // 'a7ffc6f8…434a'
 */
export function sha3Hex(text: string): string {
  if (typeof text !== 'string') throw new TypeError('sha3Hex: expected a string');
  if (LONE_SURROGATE.test(text)) {
    throw new RangeError("'utf-8' codec can't encode a lone surrogate");
  }
  // FIPS-202 SHA3-256 (OpenSSL), not Keccak-256.
  return hexSha3(text);
}

// One-shot `crypto.hash` (node ≥ 20.12) skips a Hash object per call.
const hexSha3: (text: string) => string =
  typeof oneShotHash === 'function'
    ? (text) => oneShotHash('sha3-256', text, 'hex')
    : (text) => createHash('sha3-256').update(text, 'utf8').digest('hex');

/**
 * The Python `str()` text of each hash field of `values` (a synapse, or a parsed JSON body,
 * whose float literals are honoured), in hashing order.
 */
export function hashFieldTexts(def: AnySynapseDefinition, values: object): string[] {
  const v = values as Record<string, unknown>;
  return hashModelFields(def).map((field) => {
    const name = field.name;
    const present = Object.hasOwn(v, name) && v[name] !== undefined;
    const value = present ? v[name] : field.fallback();
    return pyStr(value, field.type, true, present && isFloatLiteral(v, name));
  });
}

// Each hash field's model field, found once per definition (bodies are hashed per request).
const HASH_MODEL_FIELDS = new WeakMap<AnySynapseDefinition, readonly PyModelField[]>();

function hashModelFields(def: AnySynapseDefinition): readonly PyModelField[] {
  let fields = HASH_MODEL_FIELDS.get(def);
  if (fields === undefined) {
    const model = def.modelType.kind === 'model' ? def.modelType.fields : [];
    fields = def.hashFields.map((name) => {
      const field = model.find((f) => f.name === name);
      if (field === undefined) throw new TypeError(`${def.name}: unknown hash field '${name}'`);
      return field;
    });
    HASH_MODEL_FIELDS.set(def, fields);
  }
  return fields;
}

/**
 * `computed_body_hash` of field values for `def`: SHA3-256 over the concatenated per-field hashes.
 * @example
 * import { bodyHashOf, defineSynapse } from '@taoscript/sdk';
 * import { z } from 'zod';
 * const Chat = defineSynapse({
 *   name: 'Chat', request: z.object({ messages: z.array(z.string()) }),
 *   response: z.object({}), hashFields: ['messages'],
 * });
 * bodyHashOf(Chat, { messages: ['Hello'] });
 */
export function bodyHashOf(def: AnySynapseDefinition, values: object): string {
  if (def.hashFields.length === 0) return EMPTY_BODY_HASH;
  const texts = hashFieldTexts(def, values);
  let joined = '';
  for (const t of texts) joined += sha3Hex(t);
  // Hex digests only: no surrogates to check.
  return hexSha3(joined);
}

/**
 * Python `Synapse.body_hash` of a synapse instance.
 * @example
 * import { BaseSynapse, bodyHash } from '@taoscript/sdk';
 * bodyHash(BaseSynapse.create({})); // EMPTY_BODY_HASH
 */
export function bodyHash(synapse: SynapseBase): string {
  return bodyHashOf(definitionOf(synapse), synapse);
}
