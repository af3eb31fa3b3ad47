// Exit codes and the one error type the CLI treats as a usage mistake.

/** Exit codes shared by every subcommand. */
export const EXIT = { ok: 0, modelError: 1, usage: 2, failOnDead: 3 } as const;

/** A mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Collapses any error to one line for stderr. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}
