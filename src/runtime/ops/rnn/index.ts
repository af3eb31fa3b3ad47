// Registration list for the recurrent op family: every OpDef of this folder.
import { OpDef } from '../../op';
import { gruDefs } from './gru';
import { lstmDefs } from './lstm';
import { rnnDefs } from './rnn';

/** Recurrent ops: RNN, GRU, LSTM. */
export const rnnOps: OpDef<any>[] = [...rnnDefs, ...gruDefs, ...lstmDefs]; // eslint-disable-line @typescript-eslint/no-explicit-any
