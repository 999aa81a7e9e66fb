/**
 * Everything a command needs from its parsed flags: the config file, output, prompts, the wallet
 * (keys unlocked with progress on stderr) and a chain client (connected on first use, closed when
 * the command ends). Reusable by any command group; the SDK is imported on first use so commands
 * that never touch it stay fast.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type {
  ExtrinsicOptions,
  ExtrinsicResult,
  SubtensorClient,
  Wallet,
  WalletKey,
} from '@taoscript/sdk';
import { type Io, UsageError } from '../io.js';
import { type ConfigFile, loadConfig } from './config.js';
import { CancelledError, CliError } from './errors.js';
import type { Flags } from './flags.js';
import { formatTao } from './format.js';
import { Output } from './output.js';
import { parseFloatIn } from './values.js';

/** The network used when neither a flag, the config file nor the environment names one. */
export const DEFAULT_CLI_NETWORK = 'local';
/** How long the node's WebSocket may take to open (a refused connection fails at once). */
export const OPEN_TIMEOUT_MS = 5_000;

/** Which wallet a command uses. */
export interface WalletSettings {
  name: string;
  path: string;
  hotkey: string;
}

/** Where a command connects. */
export interface EndpointSettings {
  network: string;
  url: string;
}

type Env = Readonly<Record<string, string | undefined>>;
type Ask = (question: string, opts?: { secret?: boolean }) => Promise<string>;

function isProcessIo(io: Io): boolean {
  return io.stdin === process.stdin;
}

async function terminalAsk(question: string, opts: { secret?: boolean } = {}): Promise<string> {
  if (opts.secret) {
    const { ttyPasswordPrompt } = await import('@taoscript/sdk');
    return ttyPasswordPrompt()({ message: question, path: '', purpose: 'decrypt' });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once('close', () => reject(new CancelledError()));
      rl.question(question, resolve);
    });
  } finally {
    rl.close();
  }
}

/** A command's run-time context. Create with {@link Context.create}; `close()` when done. */
export class Context {
  readonly io: Io;
  readonly flags: Flags;
  readonly env: Env;
  /** The home directory (`HOME` of the command's environment). */
  readonly home: string;
  readonly config: ConfigFile;
  readonly out: Output;
  readonly #ask: Ask | undefined;
  #client: Promise<SubtensorClient> | undefined;
  #wallet: Wallet | undefined;

  private constructor(io: Io, flags: Flags, env: Env, home: string, config: ConfigFile) {
    this.io = io;
    this.flags = flags;
    this.env = env;
    this.home = home;
    this.config = config;
    const processIo = isProcessIo(io);
    const color =
      io.color ?? (processIo && process.stdout.isTTY === true && (env.NO_COLOR ?? '') === '');
    this.out = new Output(io, {
      json: flags.maybeBool('json-output') === true,
      quiet: flags.maybeBool('quiet') === true,
      verbose: flags.maybeBool('verbose') === true,
      color,
    });
    const tty = io.isTTY ?? (processIo && process.stdin.isTTY === true);
    this.#ask = io.prompt ?? (tty ? terminalAsk : undefined);
  }

  /** Reads the config file of the command's home directory and builds the context. */
  static async create(io: Io, flags: Flags): Promise<Context> {
    const env: Env = io.env ?? process.env;
    const home = env.HOME && env.HOME !== '' ? env.HOME : homedir();
    const config = await loadConfig(home);
    return new Context(io, flags, env, home, config);
  }

  /** `--no-prompt` / `-y` was given. */
  get noPrompt(): boolean {
    return this.flags.maybeBool('no-prompt') === true;
  }

  /** Whether a question can be asked (a terminal or a prompt function, and no --no-prompt). */
  get canAsk(): boolean {
    return this.#ask !== undefined && !this.noPrompt;
  }

  /** Asks a question; a UsageError naming `flagHint` when no one can answer. */
  async ask(question: string, flagHint: string, secret = false): Promise<string> {
    if (!this.canAsk || this.#ask === undefined)
      throw new UsageError(`${flagHint} (no terminal to ask on)`);
    return (await this.#ask(question, { secret })).trim();
  }

  /**
   * Asks `question [y/N]` unless --no-prompt; anything but y/yes cancels. Without a terminal
   * it is a UsageError asking for --no-prompt.
   */
  async confirm(question: string): Promise<void> {
    if (this.noPrompt) return;
    if (this.#ask === undefined)
      throw new UsageError(
        `confirmation needed (${question.replace(/\?$/, '')}): pass --no-prompt (-y) to run without a terminal`,
      );
    const answer = (await this.#ask(`${question} [y/N] `)).trim();
    if (!/^y(es)?$/i.test(answer)) throw new CancelledError();
  }

  // ---- wallet -------------------------------------------------------------------------------

  /** Wallet name, path and hotkey: flags, then config, then `BT_WALLET_*`, then btwallet's defaults. */
  walletSettings(): WalletSettings {
    const c = this.config.values;
    return {
      name:
        this.flags.maybeString('wallet-name') ??
        c.wallet_name ??
        this.env.BT_WALLET_NAME ??
        'default',
      path:
        this.flags.maybeString('wallet-path') ??
        c.wallet_path ??
        this.env.BT_WALLET_PATH ??
        '~/.bittensor/wallets/',
      hotkey:
        this.flags.maybeString('hotkey') ??
        c.wallet_hotkey ??
        this.env.BT_WALLET_HOTKEY ??
        'default',
    };
  }

  /** The wallet of the flags (name, path, hotkey), with prompts and progress wired to this CLI. */
  async wallet(hotkey?: string): Promise<Wallet> {
    if (hotkey === undefined && this.#wallet) return this.#wallet;
    const { Wallet } = await import('@taoscript/sdk');
    const s = this.walletSettings();
    let wallet: Wallet;
    try {
      wallet = new Wallet({
        name: s.name,
        hotkey: hotkey ?? s.hotkey,
        path: s.path,
        env: this.env,
        homeDir: this.home,
        prompt: this.canAsk
          ? (req) =>
              this.ask(
                req.error ? `${req.error}\n${req.message}` : req.message,
                '--password-file',
                true,
              )
          : false,
        onProgress: (e) => {
          if (e.phase === 'start') this.out.progress('deriving the key encryption key (Argon2i)…');
        },
      });
    } catch (err) {
      if (err instanceof RangeError || err instanceof TypeError) throw new UsageError(err.message);
      throw err;
    }
    if (hotkey === undefined) this.#wallet = wallet;
    return wallet;
  }

  /** Password sources from the flags (`--password-file`). */
  passwordOptions(): { passwordFile?: string } {
    const file = this.flags.maybeString('password-file');
    return file === undefined ? {} : { passwordFile: file };
  }

  async #key(
    what: 'coldkey' | 'coldkeypub' | 'hotkey' | 'hotkeypub',
    load: (w: Wallet) => Promise<WalletKey>,
  ): Promise<WalletKey> {
    const w = await this.wallet();
    try {
      return await load(w);
    } catch (err) {
      const e = err as { name?: string; code?: string };
      if (e?.name === 'WalletError' && e.code === 'KEYFILE_NOT_FOUND') {
        const isHot = what.startsWith('hotkey');
        const pubExists = await (isHot ? w.hotkeypubFile : w.coldkeypubFile).exists();
        const secretExists = await (isHot ? w.hotkeyFile : w.coldkeyFile).exists();
        if (!pubExists && !secretExists) {
          if (!isHot || !(await w.coldkeypubFile.exists()))
            throw new UsageError(
              `wallet '${w.name}' not found in ${w.root} (create it with tao wallet create, or check --wallet-name / --wallet-path)`,
            );
          throw new UsageError(
            `hotkey '${w.hotkeyName}' of wallet '${w.name}' not found (tao wallet new-hotkey --hotkey ${w.hotkeyName})`,
          );
        }
        if (what === 'coldkey')
          throw new UsageError(
            `wallet '${w.name}' has only coldkeypub.txt: signing needs the coldkey (tao wallet regen-coldkey)`,
          );
      }
      throw err;
    }
  }

  /** The public coldkey (coldkeypub.txt; no password). */
  coldkeypub(): Promise<WalletKey> {
    return this.#key('coldkeypub', (w) => w.getColdkeypub());
  }

  /** The coldkey, unlocked (password from --password-file, `BT_PW_…` or a prompt). */
  coldkey(): Promise<WalletKey> {
    return this.#key('coldkey', (w) => w.getColdkey(this.passwordOptions()));
  }

  /** The hotkey, unlocked if encrypted. */
  hotkey(): Promise<WalletKey> {
    return this.#key('hotkey', (w) => w.getHotkey(this.passwordOptions()));
  }

  /** The public hotkey. */
  hotkeypub(): Promise<WalletKey> {
    return this.#key('hotkeypub', (w) => w.getHotkeypub());
  }

  // ---- chain --------------------------------------------------------------------------------

  /**
   * The endpoint: --chain-endpoint, else --network, else config `network`, else
   * `BT_SUBTENSOR_NETWORK`, else `local` (ws://127.0.0.1:9944, or `BT_SUBTENSOR_CHAIN_ENDPOINT`).
   */
  async endpoint(): Promise<EndpointSettings> {
    const { resolveNetwork } = await import('@taoscript/sdk');
    const endpoint = this.flags.maybeString('chain-endpoint');
    const network =
      this.flags.maybeString('network') ??
      this.config.values.network ??
      this.env.BT_SUBTENSOR_NETWORK ??
      DEFAULT_CLI_NETWORK;
    try {
      const r = resolveNetwork({
        network,
        ...(endpoint !== undefined ? { chainEndpoint: endpoint } : {}),
        env: this.env,
      });
      return { network: endpoint !== undefined ? r.network : network, url: r.url };
    } catch (err) {
      const flag = endpoint !== undefined ? '--chain-endpoint' : '--network';
      throw new UsageError(`${flag}: ${(err as Error).message}`);
    }
  }

  /** The chain client (connected on first use; closed by {@link close}). */
  client(): Promise<SubtensorClient> {
    this.#client ??= this.#connect();
    return this.#client;
  }

  async #connect(): Promise<SubtensorClient> {
    const { url } = await this.endpoint();
    const { connect, NodeUnreachableError } = await import('@taoscript/sdk');
    try {
      return await connect({
        chainEndpoint: url,
        env: {},
        timeoutMs: 30_000,
        openTimeoutMs: OPEN_TIMEOUT_MS,
        commits: join(this.home, '.bittensor', 'weight-commits'),
      });
    } catch (err) {
      if (err instanceof NodeUnreachableError)
        throw new CliError('UNREACHABLE', err.shortMessage, [], err);
      throw new CliError(
        'UNREACHABLE',
        `cannot connect to the node at ${url}: ${(err as Error).message}`,
        [],
        err,
      );
    }
  }

  /** Checks that a subnet exists (CliError naming it otherwise). */
  async requireSubnet(netuid: number): Promise<void> {
    const client = await this.client();
    if (!(await client.subnetExists(netuid)))
      throw new CliError('SUBNET_NOT_FOUND', `subnet ${netuid} does not exist on ${client.url}`);
  }

  /**
   * Submits with progress on stderr; a failed dispatch throws its ExtrinsicFailedError (reported
   * with the pallet error's name).
   */
  async submit<T extends ExtrinsicResult>(
    label: string,
    run: (opts: ExtrinsicOptions) => Promise<T>,
  ): Promise<T & { ok: true }> {
    this.out.progress(`${label}: submitting and waiting for inclusion…`);
    const r = await run({ raiseError: false });
    if (!r.ok) throw r.error;
    this.out.progress(
      `included in block ${r.blockNumber}${r.fee !== undefined ? ` (fee ${formatTao(r.fee, 6)})` : ''}`,
    );
    return r as T & { ok: true };
  }

  /** Safe-staking settings from flags, then config: `{ safe, tolerance, partial }`. */
  stakingSettings(): { safe: boolean; tolerance: number; partial: boolean } {
    const c = this.config.values;
    const tolFlag = this.flags.maybeString('tolerance');
    return {
      safe: this.flags.maybeBool('safe') ?? c.safe_staking ?? true,
      tolerance:
        tolFlag !== undefined
          ? parseFloatIn(tolFlag, this.flags.spelling('tolerance'), 0, 0.999)
          : (c.rate_tolerance ?? 0.005),
      partial: this.flags.maybeBool('partial') ?? c.allow_partial_stake ?? false,
    };
  }

  /** Closes the chain client if one was opened. */
  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    if (!pending) return;
    try {
      await (await pending).close();
    } catch {
      // It never connected; nothing to close.
    }
  }
}
