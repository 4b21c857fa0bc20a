// Public exports of src/data/ (one line per module).
export { syntheticGuitarEffects, type SyntheticGuitarOptions, type SyntheticGuitarDataset } from './synthetic-audio.js';
export { stratifiedSplit, type StratifiedSplitOptions } from './split.js';
export { packImages, unpackImages, imagesToTensor, checkLabels, labelsToOneHot } from './tensors.js';
export { syntheticSensorImages, SYNTHETIC_IMAGE_CLASSES, type SensorNoise, type SyntheticSensorImagesOptions, type SyntheticImageSet } from './synthetic-images.js';
