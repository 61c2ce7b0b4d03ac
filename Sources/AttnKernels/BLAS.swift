import CBLAS

/// Row-major single-precision matrix products through OpenBLAS.
///
/// Every matrix product in attnscope goes through here. Matrices are flat
/// row-major buffers; `lda`/`ldb`/`ldc` default to the packed row length.
/// OpenBLAS itself always runs on one thread; large products are cut into
/// row slices spread over ``Parallel``'s workers (see ``Parallel`` for why).
public enum BLAS {
    /// Set once, before the first product: OpenBLAS computes on the calling thread only.
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    /// Products below this many multiply-adds run on the calling thread.
    static let parallelWork = 1 << 22
    /// The fewest rows of `C` one parallel slice gets, so that packing `B`
    /// again for every slice stays a small fraction of the slice's work.
    static let sliceRows = 64

    /// `C[m, n] = alpha · op(A) · op(B) + beta · C`, where `op(A)` is `[m, k]`
    /// and `op(B)` is `[k, n]`. With `transposeB`, `B` is stored `[n, k]`
    /// (a PyTorch `Linear` weight `[out, in]`); with `transposeA`, `A` is
    /// stored `[k, m]`.
    ///
    /// A large product is computed as row slices of `C` on ``Parallel``'s
    /// workers, about four slices per worker so that a busy core holds up only
    /// a small one; each slice is the same product on fewer rows of `A`, so the
    /// result does not depend on the thread count.
    public static func gemm(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int? = nil, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int? = nil, transposeB: Bool = false,
        _ c: UnsafeMutablePointer<Float>, ldc: Int? = nil,
        alpha: Float = 1, beta: Float = 0
    ) {
        _ = singleThreaded
        let lda = lda ?? (transposeA ? m : k), ldb = ldb ?? (transposeB ? k : n), ldc = ldc ?? n
        let threads = Parallel.threads
        let work = m.multipliedReportingOverflow(by: n).partialValue.multipliedReportingOverflow(by: k)
        guard threads > 1, work.overflow || work.partialValue >= parallelWork, m >= 2 * sliceRows else {
            product(m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB, c, ldc: ldc, alpha: alpha, beta: beta)
            return
        }
        let rows = max(sliceRows, (m + 4 * threads - 1) / (4 * threads))
        let slices = (m + rows - 1) / rows
        Parallel.forEach(slices) { s in
            let first = s * rows, count = min(rows, m - first)
            // Row `first` of op(A) starts at column `first` when A is stored transposed.
            let sliceA = transposeA ? a + first : a + first * lda
            product(m: count, n: n, k: k, sliceA, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB, c + first * ldc, ldc: ldc, alpha: alpha, beta: beta)
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
}
