// ml-kmeans 7 is ESM-only and ships its types behind "exports", which this project's node10 module
// resolution cannot see; this declares the part of its API the MOOC analysis uses.
declare module 'ml-kmeans' {
  export interface KMeansOptions {
    seed?: number;
    initialization?: 'kmeans++' | 'random' | 'mostDistant' | number[][];
    maxIterations?: number;
    tolerance?: number;
  }
  export interface KMeansResult {
    clusters: number[];
    centroids: number[][];
    converged: boolean;
    iterations: number;
  }
  export function kmeans(data: number[][], K: number, options: KMeansOptions): KMeansResult;
}
