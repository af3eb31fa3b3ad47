// Registration list for the elementwise op family: every OpDef of this folder, one import per op file.
import { OpDef } from '../../op';

export const elementwiseOps: OpDef<any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
