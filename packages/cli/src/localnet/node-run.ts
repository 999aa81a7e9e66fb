/**
 * `tao node run [node flags…]`: runs tao-node in the foreground with the given flags, forwarding
 * SIGINT/SIGTERM to it, and exits with its exit code.
 */
import { spawn } from 'node:child_process';
import type { Command } from '../groups/types.js';
import type { Io } from '../io.js';
import { NODE_BIN } from './processes.js';

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

async function run(args: string[], _io: Io): Promise<number> {
  const child = spawn(process.execPath, [NODE_BIN, ...args], { stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        resolve(code ?? (signal ? (SIGNAL_EXIT[signal] ?? 1) : 1)),
      );
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}

/** `tao node run`. */
export const nodeRun: Command = { run };
