/**
 * The paper's six image and six audio classifier architectures: names, one-line descriptions
 * and the parameter counts Keras 2.1.5 reports for them at the original input shapes
 * (32x32x3 / 10 classes for images, 96x173x1 / 12 classes for audio).
 */

/** The six architecture letters shared by the image and audio families. */
export type ArchitectureName = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/** All architecture letters, in order. */
export const architectureNames: readonly ArchitectureName[] = ['A', 'B', 'C', 'D', 'E', 'F'];

/** One architecture of the paper. */
export interface ArchitectureInfo {
  /** Letter used by the builders ('A'..'F'). */
  name: ArchitectureName;
  /** Name used by the original code (e.g. 'all-cnns'). */
  originalName: string;
  /** One-line description of the layer stack. */
  description: string;
  /** `countParams()` at the original input shape and class count. */
  parameters: number;
}

/**
 * The image architectures (CIFAR-10, 32x32x3 input, 10 classes).
 *
 * @example
 * imageArchitectures.find((a) => a.name === 'A')?.parameters; // 701386
 */
export const imageArchitectures: readonly ArchitectureInfo[] = [
  {
    name: 'A',
    originalName: 'all-cnns',
    description: 'stem + 1 conv group, conv 128 3x3, conv 128 1x1, conv 10 1x1, global average pooling',
    parameters: 701_386,
  },
  {
    name: 'B',
    originalName: 'cnns-dense-64',
    description: 'stem + 1 conv group, flatten, dense 64-256, dense 10',
    parameters: 1_079_562,
  },
  {
    name: 'C',
    originalName: 'all-cnnsx2',
    description: 'stem + 2 conv groups, conv 128 3x3, conv 128 1x1, conv 10 1x1, global average pooling',
    parameters: 1_144_138,
  },
  {
    name: 'D',
    originalName: 'cnns-x2-dense-128',
    description: 'stem + 2 conv groups, flatten, dense 128-256, dense 10',
    parameters: 1_276_618,
  },
  {
    name: 'E',
    originalName: 'cnns-dense-128',
    description: 'stem + 1 conv group, flatten, dense 128-256, dense 10',
    parameters: 1_620_298,
  },
  {
    name: 'F',
    originalName: 'cnns-dense-128-256',
    description: 'stem + 1 conv group, flatten, dense 128-256-256, dense 10',
    parameters: 1_686_090,
  },
];

/**
 * The audio architectures (IDMT-SMT-Audio-Effects mel spectrograms, 96x173x1 input, 12 classes).
 *
 * @example
 * audioArchitectures.find((a) => a.name === 'F')?.parameters; // 3715460
 */
export const audioArchitectures: readonly ArchitectureInfo[] = [
  {
    name: 'A',
    originalName: 'A',
    description: 'stem (conv 32 + batch norm over frequency) + 3 conv loops, no dense layer',
    parameters: 101_412,
  },
  {
    name: 'B',
    originalName: 'B',
    description: 'stem + 4 conv loops, dense 128',
    parameters: 170_436,
  },
  {
    name: 'C',
    originalName: 'C',
    description: 'stem + 3 conv loops, dense 64-128',
    parameters: 427_492,
  },
  {
    name: 'D',
    originalName: 'D',
    description: 'stem + 3 conv loops, dense 128',
    parameters: 808_356,
  },
  {
    name: 'E',
    originalName: 'E',
    description: 'stem + 3 conv loops, dense 128-128',
    parameters: 824_868,
  },
  {
    name: 'F',
    originalName: 'F',
    description: 'stem + 2 conv loops, dense 128',
    parameters: 3_715_460,
  },
];
