// ml-regression ships no type declarations; this declares the one class the forecasters use
// (same constructor and fields as its `ml-regression-multivariate-linear` part).
declare module 'ml-regression' {
  /** Ordinary least squares with several inputs (normal equations solved by SVD). */
  export class MultivariateLinearRegression {
    constructor(x: number[][], y: number[][], options?: { intercept?: boolean; statistics?: boolean });
    /** One row per input (then the intercept), one column per output. */
    readonly weights: number[][];
    predict(x: number[]): number[];
  }
}
