import CBLAS

/// Row-major single-precision matrix products through OpenBLAS.
///
/// Every matrix product in attnscope goes through here. Matrices are flat
/// row-major buffers; `lda`/`ldb`/`ldc` default to the packed row length.
public enum BLAS {
    /// `C[m, n] = alpha · op(A) · op(B) + beta · C`, where `op(A)` is `[m, k]`
    /// and `op(B)` is `[k, n]`. With `transposeB`, `B` is stored `[n, k]`
    /// (a PyTorch `Linear` weight `[out, in]`); with `transposeA`, `A` is
    /// stored `[k, m]`.
    @inlinable
    public static func gemm(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int? = nil, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int? = nil, transposeB: Bool = false,
        _ c: UnsafeMutablePointer<Float>, ldc: Int? = nil,
        alpha: Float = 1, beta: Float = 0
    ) {
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k),
            alpha,
            a, blasint(lda ?? (transposeA ? m : k)),
            b, blasint(ldb ?? (transposeB ? k : n)),
            beta,
            c, blasint(ldc ?? n)
        )
    }

    /// The number of threads OpenBLAS uses for one product.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }
}
