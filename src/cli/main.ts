/**
 * `store-platform` command line. Subcommands live in `commands`; adding one is one entry there.
 * Usage errors print one line and exit 2; other failures exit 1.
 */
import { pathToFileURL } from 'node:url';
import { backupPasswordCommand } from './backup-password.js';
import { keysCommand } from './keys.js';
import { ownersCommand } from './owners.js';
import { synthCommand } from './synth.js';
import { type CliIo, type Command, UsageError } from './usage-error.js';

export const commands: Record<string, Command> = {
  synth: synthCommand,
  keys: keysCommand,
  owners: ownersCommand,
  'backup-password': backupPasswordCommand,
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `Usage: store-platform <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun store-platform <command> --help for a command's options.\n`;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function run(argv: readonly string[], io: CliIo = process): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    io.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.stderr.write(`store-platform: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`store-platform ${name}: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`store-platform ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

// run directly (tsx src/cli/main.ts ...); bin/store-platform.js calls run() itself
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await run(process.argv.slice(2));
}
