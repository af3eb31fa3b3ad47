// `relu-doctor text MODEL`: prints the model in ONNX's textual syntax, one node per line.
import * as path from 'node:path';
import { loadModel } from '../onnx/load';
import { inferShapes } from '../onnx/shapes';
import { modelToText } from '../onnx/text';
import { parseCommand } from './args';

export const TEXT_USAGE = 'relu-doctor text MODEL';

/** Runs `text`; returns the exit code. */
export async function textCommand(argv: string[]): Promise<number> {
  const { positionals } = parseCommand('text', argv, {}, { min: 1, max: 1, usage: TEXT_USAGE });
  const model = loadModel(path.resolve(positionals[0]));
  const view = modelToText(model, inferShapes(model));
  process.stdout.write(view.text.endsWith('\n') ? view.text : view.text + '\n');
  return 0;
}
