// The template validator: node --import tsx packages/subnet/bin/validator.ts --netuid 1 --wallet.name …
import { neuronMain, TemplateValidator } from '../src/index.js';

process.exitCode = await neuronMain({
  role: 'validator',
  usage: 'Usage: node --import tsx packages/subnet/bin/validator.ts [flags]',
  create: (config, ctx) => new TemplateValidator(config, ctx),
});
