// Command-line parsing for the subcommands, on node:util's parseArgs, with usage errors as UsageError.
import { parseArgs, ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses argv for one subcommand; unknown flags and missing positionals become UsageErrors. */
export function parseCommand<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  positionals: { min: number; max: number; usage: string },
) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.split('\n')[0]} (usage: ${positionals.usage})`);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min || n > positionals.max) {
    throw new UsageError(`${command}: expected ${positionals.usage}`);
  }
  return parsed;
}
