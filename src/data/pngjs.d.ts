// The part of pngjs (no bundled types; @types/pngjs is not installed) that images.ts and the fixture script use.
declare module 'pngjs' {
  export interface PNGOptions { width?: number; height?: number; colorType?: number; inputColorType?: number; bitDepth?: number }
  export class PNG {
    constructor(options?: PNGOptions);
    width: number;
    height: number;
    data: Buffer;
    static sync: { read(buffer: Buffer | Uint8Array, options?: Record<string, unknown>): PNG; write(png: PNG, options?: PNGOptions): Buffer };
  }
}
