// btwallet-compatible wallet (Node only; not part of the browser entry).
export {
  isWalletError,
  WalletError,
  type WalletErrorCode,
  type WalletErrorOptions,
} from './errors.js';
export { DIR_MODE, FILE_MODE, MAX_KEYFILE_BYTES } from './fs-io.js';
export {
  deriveNaclKey,
  type KdfOptions,
  type KdfProgressCallback,
  type KdfProgressEvent,
  NACL_MEMLIMIT_BYTES,
  NACL_OPSLIMIT,
  NACL_SALT,
  setArgon2CostForTesting,
} from './kdf.js';
export { WalletKey } from './key.js';
export {
  clearUnlockedKeys,
  type DecryptKeyfileOptions,
  decryptKeyfileData,
  encryptKeyfileData,
  Keyfile,
  type KeyfileEncryption,
  type KeyfileOptions,
  keyfileEncryption,
  type SetKeypairOptions,
  type UnlockOptions,
} from './keyfile.js';
export {
  type DeserializeKeyfileOptions,
  deserializeKeyfileData,
  serializeKeyfileData,
} from './keyfile-data.js';
export { decryptAnsibleVault, decryptFernetKeyfile } from './legacy.js';
export { SILENT_LOGGER, type WalletLogger } from './logger.js';
export { decryptNacl, encryptNacl, NACL_PREFIX } from './nacl.js';
export {
  checkPasswordPolicy,
  decodePasswordFromEnv,
  encodePasswordForEnv,
  type PasswordPolicyResult,
  type PasswordPrompt,
  type PasswordPromptRequest,
  type PasswordSources,
  passwordEnvVarName,
  passwordStrength,
  readPasswordFile,
  type TtyPromptOptions,
  ttyPasswordPrompt,
  type WalletEnv,
} from './password.js';
export { walletKeyFromPolkadotJson } from './polkadot-json.js';
export {
  type CreateWalletOptions,
  type CreateWalletResult,
  DEFAULT_HOTKEY_NAME,
  DEFAULT_WALLET_NAME,
  DEFAULT_WALLET_PATH,
  type KeySource,
  type NewKeyOptions,
  type NewKeyResult,
  type PublicKeySource,
  Wallet,
  type WalletOptions,
  type WriteKeyOptions,
} from './wallet.js';
