import CBLAS

/// Row-major single-precision matrix products through OpenBLAS.
///
/// Every matrix product in attnscope goes through here. Matrices are flat
/// row-major buffers; `lda`/`ldb`/`ldc` default to the packed row length.
/// OpenBLAS itself always runs on one thread; products are cut into row
/// slices of a fixed height, spread over ``Parallel``'s workers when large
/// (see ``Parallel`` for why).
public enum BLAS {
    /// Set once, before the first product: OpenBLAS computes on the calling thread only.
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    /// Products below this many multiply-adds run on the calling thread.
    static let parallelWork = 1 << 22
    /// Rows of `C` per slice: every product taller than this is computed as
    /// slices of exactly this many rows (the last one shorter), whatever the
    /// thread count, so that the result is the same on 1 thread or 64.
    /// 128 rows keep `B`'s repacking per slice a small part of its work.
    public static let sliceRows = 128

    /// `C[m, n] = alpha · op(A) · op(B) + beta · C`, where `op(A)` is `[m, k]`
    /// and `op(B)` is `[k, n]`. With `transposeB`, `B` is stored `[n, k]`
    /// (a PyTorch `Linear` weight `[out, in]`); with `transposeA`, `A` is
    /// stored `[k, m]`.
    ///
    /// The product is computed as ``sliceRows``-row slices of `C`, one
    /// `cblas_sgemm` each. OpenBLAS's result for a row may depend on the
    /// height of the product it is part of, so the slicing is fixed by `m`
    /// alone; a large product's slices run on ``Parallel``'s workers, a small
    /// one's (or any, when called from a worker) one after another.
    public static func gemm(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int? = nil, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int? = nil, transposeB: Bool = false,
        _ c: UnsafeMutablePointer<Float>, ldc: Int? = nil,
        alpha: Float = 1, beta: Float = 0
    ) {
        _ = singleThreaded
        let lda = lda ?? (transposeA ? m : k), ldb = ldb ?? (transposeB ? k : n), ldc = ldc ?? n
        let slices = (m + sliceRows - 1) / sliceRows
        let work = m.multipliedReportingOverflow(by: n).partialValue.multipliedReportingOverflow(by: k)
        let slice = { (s: Int) in
            let first = s * sliceRows, count = min(sliceRows, m - first)
            // Row `first` of op(A) starts at column `first` when A is stored transposed.
            let sliceA = transposeA ? a + first : a + first * lda
            product(
                m: count, n: n, k: k, sliceA, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB,
                c + first * ldc, ldc: ldc, alpha: alpha, beta: beta)
        }
        if work.overflow || work.partialValue >= parallelWork {
            Parallel.forEach(slices, slice)
        } else {
            for s in 0..<slices { slice(s) }
        }
    }

    /// One `cblas_sgemm` call on the calling thread.
    private static func product(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
        _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
        _ c: UnsafeMutablePointer<Float>, ldc: Int,
        alpha: Float, beta: Float
    ) {
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k),
            alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc)
        )
    }

    /// Writes `F`, `[k, k]` row-major, with `‖F v‖₂ = ‖W v‖₂` for every
    /// `v ∈ ℝᵏ`, where `W` is the `[rows, k]` matrix whose entry `(r, c)` is
    /// `w[r·rowStride + c·columnStride]` (a head's slice of an output
    /// projection, stored either way round): `Fᵀ F = Wᵀ W`.
    ///
    /// `Wᵀ W` is formed in float64 (`cblas_dsyrk`) and factored by LAPACK's
    /// pivoted Cholesky (`dpstrf`), which also takes a rank-deficient `W`; the
    /// rows past the rank are 0. Measuring `‖F v‖` instead of `‖W v‖` costs
    /// `k²` instead of `rows·k` per vector, and being a sum of squares it
    /// loses no precision to cancellation. Runs on the calling thread.
    public static func normFactor(
        _ w: UnsafePointer<Float>, rows: Int, k: Int, rowStride: Int, columnStride: Int,
        into f: UnsafeMutablePointer<Float>
    ) {
        _ = singleThreaded
        let wide = UnsafeMutablePointer<Double>.allocate(capacity: rows * k)
        let gram = UnsafeMutablePointer<Double>.allocate(capacity: k * k)
        let work = UnsafeMutablePointer<Double>.allocate(capacity: 2 * k)
        let pivots = UnsafeMutablePointer<Int32>.allocate(capacity: k)
        defer {
            wide.deallocate()
            gram.deallocate()
            work.deallocate()
            pivots.deallocate()
        }
        for r in 0..<rows {
            for c in 0..<k { wide[r * k + c] = Double(w[r * rowStride + c * columnStride]) }
        }
        gram.initialize(repeating: 0, count: k * k)
        // Row-major upper triangle of Wᵀ W, which LAPACK (column-major) reads as the lower one.
        cblas_dsyrk(
            CblasRowMajor, CblasUpper, CblasTrans, blasint(k), blasint(rows), 1, wide, blasint(k), 0, gram, blasint(k))
        var n = Int32(k), rank: Int32 = 0, info: Int32 = 0, tolerance = -1.0
        "L".withCString { uplo in dpstrf_(uplo, &n, gram, &n, pivots, &rank, &tolerance, work, &info, 1) }
        precondition(info >= 0, "dpstrf: argument \(-info) is invalid")
        // Pᵀ (Wᵀ W) P = L Lᵀ, so ‖W v‖ = ‖Lᵀ Pᵀ v‖: F[i][piv[m]] = L[m][i], which sits at gram[i·k + m].
        f.initialize(repeating: 0, count: k * k)
        for i in 0..<Int(rank) {
            for m in i..<k { f[i * k + Int(pivots[m]) - 1] = Float(gram[i * k + m]) }
        }
    }
}
