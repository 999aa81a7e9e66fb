export { DEV_ACCOUNT_NAMES, type DevAccountName, devKeypair } from './dev.js';
export { ed25519DeriveHard, ed25519PairFromSeed, ed25519Sign, ed25519Verify } from './ed25519.js';
export {
  type Keypair,
  type KeypairType,
  keypairFromMnemonic,
  keypairFromSeed,
  keypairFromUri,
} from './keypair.js';
export {
  type MnemonicLength,
  mnemonicGenerate,
  mnemonicToEntropy,
  mnemonicToMiniSecret,
  mnemonicValidate,
} from './mnemonic.js';
export {
  ethAddressFromPublicKey,
  keccak256,
  secp256k1RecoverPrehashed,
  sha256,
} from './secp256k1.js';
export {
  type RawKeypair,
  sr25519DeriveHard,
  sr25519DerivePublicSoft,
  sr25519DeriveSoft,
  sr25519PairFromSeed,
  sr25519PublicFromSecret,
  sr25519SecretFromCanonical,
  sr25519SecretToCanonical,
  sr25519Sign,
  sr25519Verify,
} from './sr25519.js';
export {
  DEV_PHRASE,
  type DeriveJunction,
  junctionChainCode,
  parseSuri,
  type SecretUri,
} from './suri.js';
export { type SignatureVerifyResult, signatureVerify, verifyWrapped } from './verify.js';
