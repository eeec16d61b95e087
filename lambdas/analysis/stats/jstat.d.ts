// Minimal typing of the part of jStat this folder uses (jstat ships no types).
declare module 'jstat' {
  interface StudentT {
    inv(p: number, dof: number): number;
  }
  interface Normal {
    inv(p: number, mean: number, sd: number): number;
  }
  export const jStat: {
    studentt: StudentT;
    normal: Normal;
  };
}
