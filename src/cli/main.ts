// The `relu-doctor` command line: dispatches subcommands and turns every error into one line on
// stderr with a meaningful exit code (0 ok, 1 model or data error, 2 usage error, 3 --fail-on-dead).
import { EXIT, oneLine, UsageError } from './errors';
import { INSPECT_USAGE, inspectCommand } from './inspect';
import { TEXT_USAGE, textCommand } from './text';
import { RUN_USAGE, runCommand } from './run';
import { ANALYZE_USAGE, analyzeCommand } from './analyze';

const VERSION = '0.1.0';

const COMMANDS: Record<string, { usage: string; summary: string; run: (argv: string[]) => Promise<number> }> = {
  inspect: { usage: INSPECT_USAGE, summary: 'summarize a model: inputs, outputs, ops, parameters, ReLU sites', run: inspectCommand },
  text: { usage: TEXT_USAGE, summary: "print the model in ONNX's textual syntax", run: textCommand },
  run: {
    usage: RUN_USAGE,
    summary: 'run the model on inputs (or random values) with the built-in executor; --repeat N times it',
    run: runCommand,
  },
  analyze: { usage: ANALYZE_USAGE, summary: 'find dead, dormant and always-active ReLU units on your data or random inputs', run: analyzeCommand },
};

function help(): string {
  const lines = ['ReLU Doctor: find dead ReLU units in ONNX models.', '', 'usage:'];
  for (const c of Object.values(COMMANDS)) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push('', 'Exit codes: 0 ok, 1 model or data error, 2 usage error, 3 dead-unit gate failed.');
  return lines.join('\n');
}

/** Runs the CLI with the given arguments (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(help() + '\n');
      return cmd ? EXIT.ok : EXIT.usage;
    }
    if (cmd === '--version' || cmd === '-v') {
      process.stdout.write(VERSION + '\n');
      return EXIT.ok;
    }
    const command = COMMANDS[cmd];
    if (!command) throw new UsageError(`unknown command "${cmd}" (commands: ${Object.keys(COMMANDS).join(', ')}; see relu-doctor --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`usage: ${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run(rest);
  } catch (err) {
    process.stderr.write(`relu-doctor: ${oneLine(err)}\n`);
    return err instanceof UsageError ? EXIT.usage : EXIT.modelError;
  }
}

if (require.main === module) {
  // Output to a closed pipe (relu-doctor inspect m.onnx | head) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
