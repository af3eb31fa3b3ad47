// Registration list for the misc op family (sampling, detection, signal, loss ops): every OpDef of this folder.
import { OpDef } from '../../op';

/** Misc ops. */
export const miscOps: OpDef<any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
