/**
 * Brings a dev chain to what a localnet config describes, skipping whatever the chain state shows
 * is already done, so `up` on an existing state dir resumes instead of re-creating: sudo settings
 * for fast local use, funded accounts, the subnets (registered, tuned, started), the neurons
 * registered and the validators staked. Everything goes through the SDK client.
 */
import {
  type DispatchError,
  type RuntimeCall,
  SubtensorStorage as S,
  type StorageItem,
} from '@taoscript/chain-types';
import { keypairFromUri } from '@taoscript/crypto';
import {
  describeDispatchError,
  type ExtrinsicResult,
  type Signer,
  type SubtensorClient,
  type WalletKey,
} from '@taoscript/sdk';
import {
  formatTao,
  HOTKEY_FUND,
  type Hyperparameters,
  type LocalnetConfig,
  type NeuronSpec,
} from './config.js';

/** The keys of one neuron's wallet. */
export interface NeuronKeys {
  coldkey: WalletKey;
  hotkey: WalletKey;
}

/** What {@link setupChain} needs. */
export interface SetupOptions {
  client: SubtensorClient;
  config: LocalnetConfig;
  /** Keys by neuron name. */
  keys: ReadonlyMap<string, NeuronKeys>;
  /** Progress lines. */
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** A setup step the chain refused. */
export class SetupError extends Error {
  override name = 'SetupError';
}

const TX_TIMEOUT_MS = 60_000;
const BATCH_SIZE = 100;

type Call = RuntimeCall;
const call = (pallet: string, name: string, value: unknown): Call =>
  ({ type: pallet, value: { type: name, value } }) as unknown as Call;
const admin = (name: string, value: Record<string, unknown>) => call('AdminUtils', name, value);

/** A setting: the storage that holds it, the wanted value, and the call that sets it. */
interface Setting {
  label: string;
  item: StorageItem<never[], unknown>;
  keys: unknown[];
  want: unknown;
  call: Call;
}

const setting = <K extends unknown[], V>(
  label: string,
  item: StorageItem<K, V>,
  keys: K,
  want: V,
  c: Call,
): Setting => ({ label, item: item as never, keys, want, call: c });

/** Chain-wide settings for fast local use. */
function globalSettings(): Setting[] {
  return [
    setting(
      'NetworkRateLimit',
      S.NetworkRateLimit,
      [],
      0n,
      admin('sudo_set_network_rate_limit', { rate_limit: 0n }),
    ),
    setting(
      'AdminFreezeWindow',
      S.AdminFreezeWindow,
      [],
      0,
      admin('sudo_set_admin_freeze_window', { window: 0 }),
    ),
    setting(
      'StartCallDelay',
      S.StartCallDelay,
      [],
      0n,
      admin('sudo_set_start_call_delay', { delay: 0n }),
    ),
    setting(
      'TxRateLimit',
      S.TxRateLimit,
      [],
      0n,
      admin('sudo_set_tx_rate_limit', { tx_rate_limit: 0n }),
    ),
  ];
}

/** Settings the localnet applies to every subnet unless the config says otherwise. */
const LOCAL_HYPERPARAMETERS: Hyperparameters = {
  max_registrations_per_block: 64,
  target_registrations_per_interval: 64,
};

type HpKey = keyof Hyperparameters;
/** A hyperparameter's storage item and its AdminUtils setter (call name, argument name). */
type HpSetter = [StorageItem<[number], unknown>, string, string];
const hp = <V>(item: StorageItem<[number], V>, name: string, arg: string): HpSetter => [
  item as never,
  name,
  arg,
];
/** Each hyperparameter: its storage item and its AdminUtils setter. */
const HYPERPARAMETERS: { [K in HpKey]-?: HpSetter } = {
  // Order matters: max_allowed_uids may not go below min_allowed_uids (default 64), and
  // max_allowed_validators may not exceed max_allowed_uids.
  min_allowed_uids: hp(S.MinAllowedUids, 'sudo_set_min_allowed_uids', 'min_allowed_uids'),
  max_allowed_uids: hp(S.MaxAllowedUids, 'sudo_set_max_allowed_uids', 'max_allowed_uids'),
  max_allowed_validators: hp(
    S.MaxAllowedValidators,
    'sudo_set_max_allowed_validators',
    'max_allowed_validators',
  ),
  weights_set_rate_limit: hp(
    S.WeightsSetRateLimit,
    'sudo_set_weights_set_rate_limit',
    'weights_set_rate_limit',
  ),
  commit_reveal_weights_enabled: hp(
    S.CommitRevealWeightsEnabled,
    'sudo_set_commit_reveal_weights_enabled',
    'enabled',
  ),
  commit_reveal_period: hp(
    S.RevealPeriodEpochs,
    'sudo_set_commit_reveal_weights_interval',
    'interval',
  ),
  immunity_period: hp(S.ImmunityPeriod, 'sudo_set_immunity_period', 'immunity_period'),
  min_allowed_weights: hp(
    S.MinAllowedWeights,
    'sudo_set_min_allowed_weights',
    'min_allowed_weights',
  ),
  max_registrations_per_block: hp(
    S.MaxRegistrationsPerBlock,
    'sudo_set_max_registrations_per_block',
    'max_registrations_per_block',
  ),
  target_registrations_per_interval: hp(
    S.TargetRegistrationsPerInterval,
    'sudo_set_target_registrations_per_interval',
    'target_registrations_per_interval',
  ),
  adjustment_interval: hp(
    S.AdjustmentInterval,
    'sudo_set_adjustment_interval',
    'adjustment_interval',
  ),
  activity_cutoff: hp(S.ActivityCutoff, 'sudo_set_activity_cutoff', 'activity_cutoff'),
  serving_rate_limit: hp(S.ServingRateLimit, 'sudo_set_serving_rate_limit', 'serving_rate_limit'),
  weights_version_key: hp(
    S.WeightsVersionKey,
    'sudo_set_weights_version_key',
    'weights_version_key',
  ),
  kappa: hp(S.Kappa, 'sudo_set_kappa', 'kappa'),
  rho: hp(S.Rho, 'sudo_set_rho', 'rho'),
  bonds_moving_average: hp(
    S.BondsMovingAverage,
    'sudo_set_bonds_moving_average',
    'bonds_moving_average',
  ),
  liquid_alpha_enabled: hp(S.LiquidAlphaOn, 'sudo_set_liquid_alpha_enabled', 'enabled'),
  yuma3_enabled: hp(S.Yuma3On, 'sudo_set_yuma3_enabled', 'enabled'),
  registration_allowed: hp(
    S.NetworkRegistrationAllowed,
    'sudo_set_network_registration_allowed',
    'registration_allowed',
  ),
  min_burn: hp(S.MinBurn, 'sudo_set_min_burn', 'min_burn'),
  max_burn: hp(S.MaxBurn, 'sudo_set_max_burn', 'max_burn'),
};

/** The settings of one subnet: tempo, the hyperparameters, and emission switched on. */
function subnetSettings(netuid: number, tempo: number, hp: Hyperparameters): Setting[] {
  const out: Setting[] = [
    setting('tempo', S.Tempo, [netuid], tempo, admin('sudo_set_tempo', { netuid, tempo })),
  ];
  const merged: Hyperparameters = { ...LOCAL_HYPERPARAMETERS, ...hp };
  for (const [key, [item, name, argName]] of Object.entries(HYPERPARAMETERS) as [
    HpKey,
    HpSetter,
  ][]) {
    const value = merged[key];
    if (value === undefined) continue;
    out.push(setting(key, item, [netuid], value, admin(name, { netuid, [argName]: value })));
  }
  out.push(
    setting(
      'subnet_emission_enabled',
      S.SubnetEmissionEnabled,
      [netuid],
      true,
      admin('sudo_set_subnet_emission_enabled', { netuid, enabled: true }),
    ),
  );
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return typeof a === 'bigint' || typeof b === 'bigint'
    ? BigInt(a as bigint) === BigInt(b as bigint)
    : a === b;
}

function errorName(client: SubtensorClient, err: DispatchError): string {
  return describeDispatchError(err, (p, i) => client.compat.moduleError(p, i)).qualifiedName;
}

interface LooseEvent {
  type: string;
  value: { type: string; value: unknown };
}

/** The Sudo/Utility outcome of a `Sudo.sudo(Utility.batch(calls))`: the first failure, if any. */
function batchFailure(
  client: SubtensorClient,
  r: ExtrinsicResult,
): { index: number; error: string } | undefined {
  for (const e of r.events) {
    const ev = e.event as LooseEvent | undefined;
    if (!ev) continue;
    if (ev.type === 'Sudo' && ev.value.type === 'Sudid') {
      const res = (ev.value.value as { sudo_result: { type: string; value?: DispatchError } })
        .sudo_result;
      if (res.type === 'Err' && res.value)
        return { index: -1, error: errorName(client, res.value) };
    }
    if (ev.type === 'Utility' && ev.value.type === 'BatchInterrupted') {
      const v = ev.value.value as { index: number; error: DispatchError };
      return { index: v.index, error: errorName(client, v.error) };
    }
  }
  return undefined;
}

/** Orchestrates the setup steps. */
class Setup {
  readonly #o: SetupOptions;
  readonly #alice = keypairFromUri('//Alice');

  constructor(o: SetupOptions) {
    this.#o = o;
  }

  get #client(): SubtensorClient {
    return this.#o.client;
  }

  #keys(n: NeuronSpec): NeuronKeys {
    const k = this.#o.keys.get(n.name);
    if (!k) throw new Error(`no keys for ${n.name}`);
    return k;
  }

  #check(): void {
    if (this.#o.signal?.aborted) throw new SetupError('interrupted');
  }

  async #submit(what: string, signer: Signer, c: Call): Promise<ExtrinsicResult> {
    this.#check();
    const r = await this.#client.submit(
      { signer, call: c },
      { timeoutMs: TX_TIMEOUT_MS, ...(this.#o.signal ? { signal: this.#o.signal } : {}) },
    );
    if (!r.ok) throw new SetupError(`${what} failed: ${r.error.qualifiedName}`);
    return r;
  }

  async #ok(what: string, p: Promise<ExtrinsicResult>): Promise<ExtrinsicResult> {
    const r = await p;
    if (!r.ok) throw new SetupError(`${what} failed: ${r.error.qualifiedName}`);
    return r;
  }

  #txOpts() {
    return { timeoutMs: TX_TIMEOUT_MS, ...(this.#o.signal ? { signal: this.#o.signal } : {}) };
  }

  /** The settings whose chain value differs from the wanted one. */
  async #pending(settings: Setting[]): Promise<Setting[]> {
    const now = await Promise.all(
      settings.map((s) => this.#client.query(s.item, s.keys as never[])),
    );
    return settings.filter((s, i) => !same(now[i], s.want));
  }

  /** Applies settings with one `Sudo.sudo(Utility.batch(...))` from //Alice. */
  async #sudo(what: string, settings: Setting[]): Promise<void> {
    if (settings.length === 0) return;
    this.#o.log(`${what}: ${settings.map((s) => s.label).join(', ')}`);
    const batch = call('Utility', 'batch', { calls: settings.map((s) => s.call) });
    const r = await this.#submit(what, this.#alice, call('Sudo', 'sudo', { call: batch }));
    const failed = batchFailure(this.#client, r);
    if (failed) {
      const label = settings[failed.index]?.label;
      throw new SetupError(`${what}: setting ${label ?? '(sudo)'} failed: ${failed.error}`);
    }
  }

  /** Funds every coldkey and hotkey that has no balance yet, in batches from //Alice. */
  async #fund(): Promise<void> {
    const transfers: { dest: Uint8Array; amount: bigint; label: string }[] = [];
    const neurons = this.#o.config.neurons;
    const balances = await Promise.all(
      neurons.map(async (n) => {
        const k = this.#keys(n);
        return Promise.all([
          this.#client.getBalance(k.coldkey.publicKey),
          this.#client.getBalance(k.hotkey.publicKey),
        ]);
      }),
    );
    neurons.forEach((n, i) => {
      const [cold, hot] = balances[i] as [bigint, bigint];
      const k = this.#keys(n);
      if (cold === 0n && n.fund > 0n)
        transfers.push({ dest: k.coldkey.publicKey, amount: n.fund, label: `${n.name} coldkey` });
      if (hot === 0n)
        transfers.push({
          dest: k.hotkey.publicKey,
          amount: HOTKEY_FUND,
          label: `${n.name} hotkey`,
        });
    });
    if (transfers.length === 0) return;
    const total = transfers.reduce((a, t) => a + t.amount, 0n);
    this.#o.log(`funding ${transfers.length} accounts from //Alice (${formatTao(total)} TAO)`);
    for (let i = 0; i < transfers.length; i += BATCH_SIZE) {
      const calls = transfers.slice(i, i + BATCH_SIZE).map((t) =>
        call('Balances', 'transfer_keep_alive', {
          dest: { type: 'Id', value: t.dest },
          value: t.amount,
        }),
      );
      await this.#submit('funding', this.#alice, call('Utility', 'batch_all', { calls }));
    }
  }

  /** Netuid of each subnet owned by each coldkey (hex of the public key). */
  async #ownedSubnets(): Promise<Map<string, number>> {
    const netuids = await this.#client.getNetuids();
    const owners = await Promise.all(netuids.map((n) => this.#client.query(S.SubnetOwner, [n])));
    const out = new Map<string, number>();
    netuids.forEach((n, i) => {
      if (n === 0) return;
      const key = Buffer.from(owners[i] as Uint8Array).toString('hex');
      if (!out.has(key)) out.set(key, n);
    });
    return out;
  }

  /** Registers the subnets that do not exist yet (in config order); returns every netuid. */
  async #subnets(): Promise<number[]> {
    const owned = await this.#ownedSubnets();
    const out: number[] = [];
    for (const [i, s] of this.#o.config.file.subnets.entries()) {
      const owner = this.#o.config.neurons.find((n) => n.subnet === i && n.role === 'owner');
      if (!owner) throw new Error(`subnet ${s.name} has no owner`);
      const k = this.#keys(owner);
      const existing = owned.get(Buffer.from(k.coldkey.publicKey).toString('hex'));
      if (existing !== undefined) {
        if (s.netuid !== undefined && s.netuid !== existing)
          throw new SetupError(
            `subnet ${s.name} exists as netuid ${existing}, but the config says ${s.netuid}`,
          );
        out.push(existing);
        continue;
      }
      if (s.netuid !== undefined && (await this.#client.query(S.NetworksAdded, [s.netuid])))
        throw new SetupError(
          `subnet ${s.name}: netuid ${s.netuid} already belongs to another owner (reset the localnet or change the config)`,
        );
      this.#o.log(`creating subnet ${s.name} (owner ${owner.name})`);
      const text = (t: string) => new TextEncoder().encode(t);
      const identity = {
        subnet_name: text(s.name),
        github_repo: new Uint8Array(),
        subnet_contact: new Uint8Array(),
        subnet_url: new Uint8Array(),
        discord: new Uint8Array(),
        description: text(`localnet subnet ${s.name}`),
        logo_url: new Uint8Array(),
        additional: new Uint8Array(),
      };
      const r = await this.#submit(
        `register_network (${s.name})`,
        k.coldkey,
        call('SubtensorModule', 'register_network_with_identity', {
          hotkey: k.hotkey.publicKey,
          identity,
        }),
      );
      let netuid: number | undefined;
      for (const e of r.events) {
        const ev = e.event as LooseEvent | undefined;
        if (ev?.type === 'SubtensorModule' && ev.value.type === 'NetworkAdded')
          netuid = (ev.value.value as [number, number])[0];
      }
      if (netuid === undefined)
        throw new SetupError(`register_network (${s.name}): no NetworkAdded`);
      if (s.netuid !== undefined && netuid !== s.netuid)
        throw new SetupError(
          `subnet ${s.name} was created as netuid ${netuid}, but the config says ${s.netuid} (reset the localnet or change the config)`,
        );
      out.push(netuid);
    }
    return out;
  }

  /** `start_call` for every subnet not started yet. */
  async #start(netuids: number[]): Promise<void> {
    const subnets = this.#o.config.file.subnets;
    await Promise.all(
      netuids.map(async (netuid, i) => {
        const first = await this.#client.query(S.FirstEmissionBlockNumber, [netuid]);
        if (first !== undefined) return;
        const owner = this.#o.config.neurons.find((n) => n.subnet === i && n.role === 'owner');
        if (!owner) return;
        this.#o.log(`starting subnet ${subnets[i]?.name} (netuid ${netuid})`);
        await this.#submit(
          `start_call (netuid ${netuid})`,
          this.#keys(owner).coldkey,
          call('SubtensorModule', 'start_call', { netuid }),
        );
      }),
    );
  }

  /** Registers validators and miners not registered yet, one at a time (uids in config order). */
  async #register(netuids: number[]): Promise<void> {
    for (const n of this.#o.config.neurons) {
      if (n.role === 'owner') continue;
      const netuid = netuids[n.subnet] as number;
      const k = this.#keys(n);
      if ((await this.#client.getUidForHotkey(netuid, k.hotkey.publicKey)) !== undefined) continue;
      this.#o.log(`registering ${n.name} on netuid ${netuid}`);
      this.#check();
      await this.#ok(
        `burned_register (${n.name})`,
        this.#client.burnedRegister(
          { signer: k.coldkey, netuid, hotkey: k.hotkey.publicKey },
          this.#txOpts(),
        ),
      );
    }
  }

  /**
   * Adds each validator's stake unless it already has some; one at a time in config order, as
   * each stake moves the pool price the next one pays.
   */
  async #stake(netuids: number[]): Promise<void> {
    for (const n of this.#o.config.neurons) {
      if (n.stake === 0n) continue;
      const netuid = netuids[n.subnet] as number;
      const k = this.#keys(n);
      const have = await this.#client.getStake({
        coldkey: k.coldkey.publicKey,
        hotkey: k.hotkey.publicKey,
        netuid,
      });
      if (have > 0n) continue;
      this.#o.log(`staking ${formatTao(n.stake)} TAO to ${n.name}`);
      this.#check();
      await this.#ok(
        `add_stake (${n.name})`,
        this.#client.addStake(
          { signer: k.coldkey, hotkey: k.hotkey.publicKey, netuid, amount: n.stake },
          this.#txOpts(),
        ),
      );
    }
  }

  async run(): Promise<number[]> {
    await this.#sudo('chain settings', await this.#pending(globalSettings()));
    await this.#fund();
    const netuids = await this.#subnets();
    const settings: Setting[] = [];
    for (const [i, s] of this.#o.config.file.subnets.entries())
      settings.push(...subnetSettings(netuids[i] as number, s.tempo, s.hyperparameters));
    await this.#sudo('subnet settings', await this.#pending(settings));
    await this.#start(netuids);
    await this.#register(netuids);
    await this.#stake(netuids);
    return netuids;
  }
}

/**
 * Applies a config to the chain (idempotent) and returns the netuid of each subnet, in config order.
 * Throws {@link SetupError} when the chain refuses a step.
 */
export function setupChain(o: SetupOptions): Promise<number[]> {
  return new Setup(o).run();
}
