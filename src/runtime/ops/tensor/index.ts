// Registration list for the tensor op family: every OpDef of this folder, one import per op file.
import { OpDef } from '../../op';

export const tensorOps: OpDef<any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
