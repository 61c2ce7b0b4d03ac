/// KV-cache accounting (metrics.md, "Memory accounting").
extension ModelDescription {
    /// Bytes of fp16 cache per token: `(keyBlocks + valueBlocks) · G · d · elementBytes`.
    /// SVFormer stores values once; CLA stores keys and values only in the owning blocks.
    /// Sliding blocks count here too: they differ only in keeping at most
    /// `slidingWindow` tokens (``slidingBlocks``).
    public func kvCacheBytesPerToken(elementBytes: Int = 2) -> Int {
        (keyBlocks + valueBlocks) * kvHeads * headDim * elementBytes
    }

    /// Bytes of fp16 cache after `tokens` tokens: every block's cache grows
    /// with the prompt, except that a sliding block keeps at most
    /// `slidingWindow` tokens. Nil when sliding blocks meet a variant that
    /// shares keys or values across blocks (which blocks own a cache is
    /// then not recorded here).
    public func kvCacheBytes(tokens: Int, elementBytes: Int = 2) -> Int? {
        let full = kvCacheBytesPerToken(elementBytes: elementBytes) * tokens
        guard let window = slidingWindow, slidingBlocks > 0 else { return full }
        guard keyBlocks == layers, valueBlocks == layers else { return nil }
        let perBlockToken = 2 * kvHeads * headDim * elementBytes
        return full - slidingBlocks * perBlockToken * max(0, tokens - window)
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
