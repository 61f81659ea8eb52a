/** One line of the results table. */
export interface Row {
  readonly measurement: string;
  readonly subject: string;
  /** The measured value (a median unless `unit` says otherwise). */
  readonly value: number;
  readonly unit: string;
  /** Against the part's baseline, when there is one. */
  readonly ratio?: number;
  readonly target?: string;
  /** `true` pass, `false` miss; absent when the row has no target. */
  readonly pass?: boolean;
  readonly note?: string;
}

/** What one part of the suite produced. */
export interface PartResult {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
}

/** Sizes of each part, full or quick. */
export interface Config {
  readonly quick: boolean;
}
