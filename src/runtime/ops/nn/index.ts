// Registration list for the nn op family: every OpDef of this folder, one import per op file.
import { OpDef } from '../../op';

export const nnOps: OpDef<any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
