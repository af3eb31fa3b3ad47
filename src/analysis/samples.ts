// Where the analysis gets its samples: src/data/ (random inputs, .npy/.npz, .pb, test data sets,
// image folders). Re-exported here so analysis modules name one place.
export { feedInputs } from '../data/inputs';
export { openSampleSource } from '../data/source';
export type { SampleDescription, SampleOptions, SampleSource } from '../data/source';
