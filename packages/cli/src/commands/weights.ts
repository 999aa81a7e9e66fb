/**
 * `tao weights set | commit | reveal`: float weights converted to u16 exactly as the Python SDK
 * does (float32 inputs, max-upscaling, round-half-to-even, zeros dropped), signed by the hotkey.
 * Commits keep their salt in ~/.bittensor/weight-commits until revealed.
 */
import { defineCommand } from '../framework/command.js';
import { NETUID_FLAG, SIGNING_FLAGS } from '../framework/common-flags.js';
import type { Context } from '../framework/context.js';
import type { FlagSpec } from '../framework/flags.js';
import { parseU16List, parseU64, parseWeightList } from '../framework/values.js';
import { UsageError } from '../io.js';
import { extrinsicJson, includedLine, requiredNetuid } from './shared.js';

const WEIGHT_FLAGS: readonly FlagSpec[] = [
  ...SIGNING_FLAGS,
  { ...NETUID_FLAG, help: 'Subnet id (required)' },
  { name: 'uids', kind: 'list', aliases: ['uid'], value: 'U,…', help: 'Destination uids' },
  {
    name: 'weights',
    kind: 'list',
    aliases: ['weight', 'w'],
    value: 'W,…',
    help: 'Float weights, one per uid',
  },
  {
    name: 'version-key',
    kind: 'string',
    aliases: ['version'],
    value: 'N',
    help: "Weights version key (default: the SDK's version; must be ≥ the subnet's weights_version)",
  },
];
const SALT: FlagSpec = { name: 'salt', kind: 'list', value: 'S,…', help: 'u16 salt values' };

interface WeightInput {
  netuid: number;
  uids: number[];
  weights: number[];
  versionKey: bigint | undefined;
}

function weightInput(ctx: Context, required: boolean): WeightInput | { netuid: number } {
  const netuid = requiredNetuid(ctx);
  const u = ctx.flags.list('uids');
  const w = ctx.flags.list('weights');
  const v = ctx.flags.string('version-key');
  const versionKey = v === undefined ? undefined : parseU64(v, ctx.flags.spelling('version-key'));
  if (u === undefined && w === undefined && !required) return { netuid };
  if (u === undefined || w === undefined) throw new UsageError('pass both --uids and --weights');
  const uids = parseU16List(u, ctx.flags.spelling('uids'));
  const weights = parseWeightList(w, ctx.flags.spelling('weights'));
  if (uids.length !== weights.length)
    throw new UsageError(`--uids has ${uids.length} values but --weights has ${weights.length}`);
  if (new Set(uids).size !== uids.length) throw new UsageError('--uids has duplicates');
  return { netuid, uids, weights, versionKey };
}

/** `tao weights set`. */
export const weightsSet = defineCommand({
  usage: 'tao weights set --netuid N --uids 0,1 --weights 0.3,0.7 [wallet options]',
  description:
    "Sets the hotkey's weights on a subnet without commit-reveal (set_mechanism_weights); floats are converted to u16 as the Python SDK converts them.",
  flags: WEIGHT_FLAGS,
  notes: [
    'JSON: { "netuid", "hotkey", "uids", "weights" (u16 values sent), "version_key", "extrinsic": { … } }',
  ],
  async run(ctx) {
    const input = weightInput(ctx, true) as WeightInput;
    const client = await ctx.client();
    await ctx.requireSubnet(input.netuid);
    const hotpub = await ctx.hotkeypub();
    await ctx.confirm(`Set weights of ${hotpub.ss58Address} on subnet ${input.netuid}?`);
    const signer = await ctx.hotkey();
    const { VERSION_AS_INT } = await import('@taoscript/sdk');
    const versionKey = input.versionKey ?? BigInt(VERSION_AS_INT);
    const r = await ctx.submit('SubtensorModule.set_mechanism_weights', (o) =>
      client.setWeights(
        { signer, netuid: input.netuid, uids: input.uids, weights: input.weights, versionKey },
        o,
      ),
    );
    ctx.out.result(
      {
        netuid: input.netuid,
        hotkey: hotpub.ss58Address,
        uids: r.uids,
        weights: r.values,
        version_key: versionKey,
        extrinsic: extrinsicJson(r),
      },
      () =>
        `Set weights on subnet ${input.netuid}: ${r.uids.map((u, i) => `${u}=${r.values[i]}`).join(' ')} (${includedLine(r)})`,
    );
  },
});

/** `tao weights commit`. */
export const weightsCommit = defineCommand({
  usage:
    'tao weights commit --netuid N --uids 0,1 --weights 0.3,0.7 [--salt 1,2,3] [wallet options]',
  description:
    'Commits the hash of weights on a commit-reveal subnet (commit_mechanism_weights). The uids, u16 weights and salt are kept in ~/.bittensor/weight-commits until revealed; the output shows the reveal command.',
  flags: [...WEIGHT_FLAGS, SALT],
  notes: [
    'JSON: { "netuid", "hotkey", "commit_hash", "uids", "weights" (u16), "salt", "version_key", "reveal_command",',
    '        "extrinsic": { … } }',
  ],
  async run(ctx) {
    const input = weightInput(ctx, true) as WeightInput;
    const saltList = ctx.flags.list('salt');
    const salt =
      saltList !== undefined ? parseU16List(saltList, ctx.flags.spelling('salt')) : undefined;
    const client = await ctx.client();
    await ctx.requireSubnet(input.netuid);
    const hotpub = await ctx.hotkeypub();
    await ctx.confirm(`Commit weights of ${hotpub.ss58Address} on subnet ${input.netuid}?`);
    const signer = await ctx.hotkey();
    const { VERSION_AS_INT } = await import('@taoscript/sdk');
    const versionKey = input.versionKey ?? BigInt(VERSION_AS_INT);
    const r = await ctx.submit('SubtensorModule.commit_mechanism_weights', (o) =>
      client.commitWeights(
        {
          signer,
          netuid: input.netuid,
          uids: input.uids,
          weights: input.weights,
          versionKey,
          ...(salt !== undefined ? { salt } : {}),
        },
        o,
      ),
    );
    const reveal = `tao weights reveal --netuid ${input.netuid} --uids ${input.uids.join(',')} --weights ${input.weights.join(',')} --salt ${r.salt.join(',')}`;
    ctx.out.result(
      {
        netuid: input.netuid,
        hotkey: hotpub.ss58Address,
        commit_hash: r.commitHash,
        uids: r.uids,
        weights: r.values,
        salt: r.salt,
        version_key: versionKey,
        reveal_command: reveal,
        extrinsic: extrinsicJson(r),
      },
      () =>
        [
          `Committed ${r.commitHash} on subnet ${input.netuid} (${includedLine(r)})`,
          `Salt: ${r.salt.join(',')}`,
          `Reveal in the subnet's reveal epoch with: ${reveal}`,
          '(or just: tao weights reveal --netuid N, which uses the stored commit)',
        ].join('\n'),
    );
  },
});

/** `tao weights reveal`. */
export const weightsReveal = defineCommand({
  usage:
    'tao weights reveal --netuid N [--uids 0,1 --weights 0.3,0.7 --salt 1,2,3] [wallet options]',
  description:
    'Reveals committed weights (reveal_mechanism_weights): the given uids, weights and salt (converted as at commit time), or without them the oldest commit stored for this hotkey and subnet.',
  flags: [...WEIGHT_FLAGS, SALT],
  notes: [
    'JSON: { "netuid", "hotkey", "commit_hash", "uids", "weights" (u16), "salt", "version_key", "extrinsic": { … } }',
  ],
  async run(ctx) {
    const input = weightInput(ctx, false);
    const saltList = ctx.flags.list('salt');
    const explicit = 'uids' in input;
    if (explicit !== (saltList !== undefined))
      throw new UsageError(
        'pass --uids, --weights and --salt together (or none, to use the stored commit)',
      );
    const client = await ctx.client();
    await ctx.requireSubnet(input.netuid);
    const hotpub = await ctx.hotkeypub();
    await ctx.confirm(`Reveal weights of ${hotpub.ss58Address} on subnet ${input.netuid}?`);
    const signer = await ctx.hotkey();
    const values =
      'uids' in input
        ? {
            explicit: {
              uids: input.uids,
              weights: input.weights,
              salt: parseU16List(saltList as string[], ctx.flags.spelling('salt')),
              ...(input.versionKey !== undefined ? { versionKey: input.versionKey } : {}),
            },
          }
        : {};
    const r = await ctx.submit('SubtensorModule.reveal_mechanism_weights', (o) =>
      client.revealWeights({ signer, netuid: input.netuid, ...values }, o),
    );
    const c = r.commit;
    ctx.out.result(
      {
        netuid: input.netuid,
        hotkey: hotpub.ss58Address,
        commit_hash: c.commitHash,
        uids: c.uids,
        weights: c.values,
        salt: c.salt,
        version_key: c.versionKey,
        extrinsic: extrinsicJson(r),
      },
      () =>
        explicit
          ? `Revealed weights on subnet ${input.netuid} (${includedLine(r)})`
          : `Revealed ${c.commitHash} on subnet ${input.netuid} (${includedLine(r)})`,
    );
  },
});
