/// KV-cache accounting (metrics.md, "Memory accounting").
extension ModelDescription {
    /// Bytes of fp16 cache per token: `(keyBlocks + valueBlocks) · G · d · elementBytes`.
    /// SVFormer stores values once; CLA stores keys and values only in the owning blocks.
    /// Sliding blocks count here too: they differ only in keeping at most
    /// `slidingWindow` tokens (``slidingBlocks``).
    public func kvCacheBytesPerToken(elementBytes: Int = 2) -> Int {
        (keyBlocks + valueBlocks) * kvHeads * headDim * elementBytes
    }

    /// The cache of a plain multi-head transformer of the same shape
    /// (`L` blocks, `H` heads of size `d`, every block storing both).
    public func plainKVCacheBytesPerToken(elementBytes: Int = 2) -> Int {
        2 * layers * heads * headDim * elementBytes
    }

    /// This model's cache relative to the plain transformer's: SVFormer
    /// `(L+1)/(2L)`, GQA `G/H`, CLA2 about ½, and their products.
    public var kvCacheRatio: Double {
        Double(kvCacheBytesPerToken()) / Double(plainKVCacheBytesPerToken())
    }
}
