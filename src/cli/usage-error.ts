/** Bad command-line input: the CLI prints the message on one line and exits with code 2. */
export class UsageError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Where a command writes; tests pass buffers. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

/** A subcommand: parses its own argv and returns the process exit code. */
export interface Command {
  readonly summary: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
