/** Runtime APIs reachable through `state_call` as `<Api>_<method>`, with their argument shapes. */
import { type AnyShape, Bytes, Option, Struct, u32, u64, Vec } from './dsl.js';
import {
  AccountId32,
  FeeDetails,
  H256,
  RuntimeDispatchInfo,
  RuntimeVersion,
  TransactionSource,
  TransactionValidity,
  Weight,
} from './primitives.js';

export interface RuntimeApiMethod {
  name: string;
  inputs: { name: string; shape: AnyShape }[];
  output: AnyShape;
  docs?: string[];
}
export interface RuntimeApiDef {
  name: string;
  /** blake2_64 of the trait name, as listed in `RuntimeVersion.apis`. */
  id: string;
  version: number;
  methods: RuntimeApiMethod[];
  docs?: string[];
}

const m = (name: string, inputs: [string, AnyShape][], output: AnyShape): RuntimeApiMethod => ({
  name,
  inputs: inputs.map(([n, shape]) => ({ name: n, shape })),
  output,
});

/** An opaque, length-prefixed extrinsic as runtime APIs take it. */
export const OpaqueExtrinsic = Bytes;
export const OpaqueMetadata = Struct({ path: ['sp_core', 'OpaqueMetadata'] }, { bytes: Bytes });
const S = (s: unknown) => s as AnyShape;

/**
 * Builds the API list. `extrinsic` is the runtime's extrinsic type (metadata describes the opaque
 * bytes with it).
 */
export function runtimeApis(extrinsic: AnyShape): RuntimeApiDef[] {
  return [
    {
      name: 'Core',
      id: '0xdf6acb689907609b',
      version: 5,
      methods: [m('version', [], S(RuntimeVersion))],
    },
    {
      name: 'Metadata',
      id: '0x37e397fc7c91f5e4',
      version: 2,
      methods: [
        m('metadata', [], S(OpaqueMetadata)),
        m('metadata_at_version', [['version', S(u32)]], S(Option(OpaqueMetadata))),
        m('metadata_versions', [], S(Vec(u32))),
      ],
    },
    {
      name: 'TaggedTransactionQueue',
      id: '0xd2bc9897eed08f15',
      version: 3,
      methods: [
        m(
          'validate_transaction',
          [
            ['source', S(TransactionSource)],
            ['tx', extrinsic],
            ['block_hash', S(H256)],
          ],
          S(TransactionValidity),
        ),
      ],
    },
    {
      name: 'AccountNonceApi',
      id: '0xbc9d89904f5b923f',
      version: 1,
      methods: [m('account_nonce', [['account', S(AccountId32)]], S(u32))],
    },
    {
      name: 'TransactionPaymentApi',
      id: '0x37c8bb1350a9a2a8',
      version: 4,
      methods: [
        m(
          'query_info',
          [
            ['uxt', extrinsic],
            ['len', S(u32)],
          ],
          S(RuntimeDispatchInfo),
        ),
        m(
          'query_fee_details',
          [
            ['uxt', extrinsic],
            ['len', S(u32)],
          ],
          S(FeeDetails),
        ),
        m('query_weight_to_fee', [['weight', S(Weight)]], S(u64)),
        m('query_length_to_fee', [['length', S(u32)]], S(u64)),
      ],
    },
  ];
}
