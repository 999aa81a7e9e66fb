// The inference miner: node --import tsx subnets/inference/bin/miner.ts --behaviour honest --netuid 1 …
import { inferenceMain } from '../src/index.js';

process.exitCode = await inferenceMain({ role: 'miner' });
