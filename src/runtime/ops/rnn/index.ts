// Registration list for the recurrent op family: every OpDef of this folder.
import { OpDef } from '../../op';

/** Recurrent ops. */
export const rnnOps: OpDef<any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
