import AttnKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one forward pass holds in memory besides the weights.
extension ModelDescription {
    /// Bytes of the buffers a forward pass over `tokens` tokens allocates:
    /// each worker's block of at most 64 attention rows (``Attention``) plus
    /// sixteen `T × max(D, inner, H·d)` activation rows (every family stays
    /// below that), as float32. A block's whole `[H, T, T]` map, kept only
    /// when an observer asks for it, is not counted. Saturates at `Int.max`
    /// instead of overflowing.
    public func activationBytes(tokens t: Int) -> Int {
        let width = max(hiddenSize, intermediateSize, heads * headDim)
        let parts = [[Parallel.threads, 64, t, 4], [16, t, width, 4]]
        var total = 0
        for factors in parts {
            var product = 1
            for factor in factors {
                let (next, overflow) = product.multipliedReportingOverflow(by: factor)
                if overflow { return .max }
                product = next
            }
            let (sum, overflow) = total.addingReportingOverflow(product)
            if overflow { return .max }
            total = sum
        }
        return total
    }

    /// Physical memory of this machine in bytes, the bound a forward pass is checked against.
    static var physicalMemory: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return .max }
        return pages.multipliedReportingOverflow(by: pageSize).overflow ? .max : pages * pageSize
    }
}
