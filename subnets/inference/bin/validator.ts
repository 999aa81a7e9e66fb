// The inference validator: node --import tsx subnets/inference/bin/validator.ts --netuid 1 …
import { inferenceMain } from '../src/index.js';

process.exitCode = await inferenceMain({ role: 'validator' });
