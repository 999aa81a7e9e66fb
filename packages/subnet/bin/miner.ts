// The template miner: node --import tsx packages/subnet/bin/miner.ts --netuid 1 --wallet.name …
import { neuronMain, TemplateMiner } from '../src/index.js';

process.exitCode = await neuronMain({
  role: 'miner',
  usage: 'Usage: node --import tsx packages/subnet/bin/miner.ts [flags]',
  create: (config, ctx) => new TemplateMiner(config, ctx),
});
