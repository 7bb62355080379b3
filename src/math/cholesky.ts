/**
 * Lower-triangular L with L Lᵀ = A for a symmetric positive SEMI-definite A (k × k, row-major):
 * a pivot below 1e-12 × max diagonal is taken as 0 and its column dropped, so collinear assets
 * (or more assets than dates) still simulate, on the subspace the data span.
 */
export function choleskyPsd(a: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  let maxDiag = 0;
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, a[i * k + i]);
  const tol = 1e-12 * maxDiag;
  for (let j = 0; j < k; j++) {
    let s = a[j * k + j];
    for (let m = 0; m < j; m++) s -= l[j * k + m] * l[j * k + m];
    if (s <= tol) continue; // column j stays 0
    const d = Math.sqrt(s);
    l[j * k + j] = d;
    for (let i = j + 1; i < k; i++) {
      let v = a[i * k + j];
      for (let m = 0; m < j; m++) v -= l[i * k + m] * l[j * k + m];
      l[i * k + j] = v / d;
    }
  }
  return l;
}
