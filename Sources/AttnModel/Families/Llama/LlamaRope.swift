import AttnKernels
import Foundation

/// The rotary embedding a Llama-family config asks for: plain RoPE with
/// base θ, or Llama 3's frequency scaling (`rope_type: "llama3"`).
struct LlamaRope: Sendable {
    var theta: Double
    var llama3: Llama3Scaling?
    /// llama.cpp's per-frequency divisors (a GGUF's `rope_freqs.weight`,
    /// how its converter stores Llama 3 scaling), `[headDim/2]`.
    var frequencyFactors: [Float]?

    /// Llama 3.1's adjustment of the inverse frequencies, from
    /// `rope_scaling` / `rope_parameters` with `rope_type: "llama3"`.
    struct Llama3Scaling: Sendable {
        var factor: Double
        var lowFrequencyFactor: Double
        var highFrequencyFactor: Double
        var originalMaxPositions: Int
    }

    /// The inverse frequencies `[headDim/2]` HF's rotary embedding holds.
    /// With ``frequencyFactors``, frequency `i` is divided by factor `i`
    /// in float32, as llama.cpp's rope divides each angle.
    func inverseFrequencies(headDim: Int) -> [Float] {
        let plain = Kernels.ropeInverseFrequencies(headDim: headDim, theta: theta)
        if let frequencyFactors { return zip(plain, frequencyFactors).map { $0 / $1 } }
        guard let llama3 else { return plain }
        return llama3.adjust(plain)
    }

    /// Reads a GGUF's `rope_freqs.weight` (`[headDim/2]`, every factor
    /// finite and positive) into ``frequencyFactors``. A checkpoint that
    /// also declares a RoPE scaling in its config would scale twice: refused.
    mutating func readFrequencyFactors(_ loader: WeightLoader, headDim: Int) throws {
        let name = "rope_freqs.weight"
        guard loader.contains(name) else { return }
        let path = loader.checkpoint.url.path
        guard llama3 == nil else {
            throw ModelError(
                path: path, "tensor '\(name)' and a llama3 rope scaling in the config would scale RoPE twice")
        }
        let factors = try loader.floats(name, [headDim / 2])
        if let bad = factors.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw ModelError(
                path: path, "tensor '\(name)': factor \(bad) is \(factors[bad]), not a finite positive number")
        }
        frequencyFactors = factors
    }
}

extension LlamaRope.Llama3Scaling {
    /// `_compute_llama3_parameters` of transformers 5.23, operation for
    /// operation in float32 as PyTorch runs it: wavelengths
    /// `2π / f` above `original / low_freq_factor` divide `f` by `factor`,
    /// those below `original / high_freq_factor` keep it, and the ones between
    /// blend `(1 − s)·f/factor + s·f` with `s = (original/wavelength − low) / (high − low)`.
    /// A Python number divided by a tensor is `reciprocal() * number` in
    /// PyTorch, and Python numbers meet float32 tensors as float32.
    func adjust(_ frequencies: [Float]) -> [Float] {
        let lowWavelength = Float(Double(originalMaxPositions) / lowFrequencyFactor)
        let highWavelength = Float(Double(originalMaxPositions) / highFrequencyFactor)
        let twoPi = Float(2 * Double.pi), original = Float(originalMaxPositions)
        let factor = Float(factor), low = Float(lowFrequencyFactor),
            span = Float(highFrequencyFactor - lowFrequencyFactor)
        return frequencies.map { f in
            let wavelength = (1 / f) * twoPi
            let scaled = wavelength > lowWavelength ? f / factor : f
            guard !(wavelength < highWavelength), !(wavelength > lowWavelength) else { return scaled }
            let smooth = ((1 / wavelength) * original - low) / span
            return (1 - smooth) * scaled / factor + smooth * scaled
        }
    }
}
