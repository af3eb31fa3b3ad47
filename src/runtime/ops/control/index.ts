// Registration list for the control-flow op family: every OpDef of this folder.
import { OpDef } from '../../op';
import { ifOp } from './if';
import { loop } from './loop';
import { scan8, scan9 } from './scan';

/** Control flow: If, Loop, Scan (bodies run through RunContext.runSubgraph). */
export const controlOps: OpDef<any>[] = [ifOp, loop, scan8, scan9]; // eslint-disable-line @typescript-eslint/no-explicit-any
