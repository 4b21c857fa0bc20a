/** The one labeled-clips type of the library (loaders, synthetic data and the audio sweep use it). */

/** Labeled mono audio clips: `labels[i]` (an integer class) belongs to `signals[i]`, all at `sampleRate`. */
export interface LabeledSignals {
  signals: Float32Array[];
  sampleRate: number;
  labels: number[];
}
