// OpenBLAS's CBLAS interface (pkg-config `openblas`), and the one LAPACK
// routine attnscope calls (OpenBLAS exports LAPACK; Debian ships no header
// for it): pivoted Cholesky of a positive semi-definite matrix, with
// gfortran's hidden length of the character argument.
#include <cblas.h>
#include <stddef.h>

void dpstrf_(const char *uplo, const int *n, double *a, const int *lda, int *piv, int *rank,
             const double *tol, double *work, int *info, size_t uplo_length);
