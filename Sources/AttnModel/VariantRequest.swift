/// The architecture variant a user asks for (`--variant`), or `auto` to
/// take it from the checkpoint.
///
/// Spellings: `auto`, `transformer`, `resformer` (identity ½/½ mix),
/// `resformer:lambda=X` (constant λ), `resformer:learnable`, `svformer`,
/// `neutreno`, `neutreno:lambda=X`, `neutreno+resformer`, `denseformer`,
/// `cla`.
public enum VariantRequest: Sendable, Equatable, CustomStringConvertible {
    case auto
    case transformer
    case resformer(ResFormerMix)
    case svformer
    case neutreno(lambda: Float)
    case neutrenoResformer
    case denseformer
    case cla

    /// How a ResFormer block mixes its values with the first block's.
    public enum ResFormerMix: Sendable, Equatable {
        /// `V'_n = ½ V_n + ½ V_1`.
        case identity
        /// `V'_n = V_n + λ V_1`.
        case constant(Float)
        /// `V'_n = λ_{n,1} V_1 + λ_{n,2} V_n`, two scalars per block from the checkpoint.
        case learnable
    }

    /// NeuTRENO's λ in the reference implementation.
    public static let neutrenoDefaultLambda: Float = 0.4

    /// The accepted spellings, for help texts and errors.
    public static let spellings = [
        "auto", "transformer", "resformer", "resformer:lambda=X", "resformer:learnable", "svformer",
        "neutreno", "neutreno:lambda=X", "neutreno+resformer", "denseformer", "cla",
    ]

    /// Parses a `--variant` value; throws a one-line error listing the spellings.
    public init(parsing text: String) throws {
        let lowered = text.lowercased()
        let (name, option) = lowered.split(separator: ":", maxSplits: 1).map(String.init).splat()
        func lambda() throws -> Float {
            guard let option, option.hasPrefix("lambda="), let value = Float(option.dropFirst(7)), value.isFinite else {
                throw VariantParseError(text: text)
            }
            return value
        }
        switch (name, option) {
        case ("auto", nil): self = .auto
        case ("transformer", nil): self = .transformer
        case ("resformer", nil): self = .resformer(.identity)
        case ("resformer", "learnable"): self = .resformer(.learnable)
        case ("resformer", _): self = .resformer(.constant(try lambda()))
        case ("svformer", nil): self = .svformer
        case ("neutreno", nil): self = .neutreno(lambda: Self.neutrenoDefaultLambda)
        case ("neutreno", _): self = .neutreno(lambda: try lambda())
        case ("neutreno+resformer", nil): self = .neutrenoResformer
        case ("denseformer", nil): self = .denseformer
        case ("cla", nil): self = .cla
        default: throw VariantParseError(text: text)
        }
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .transformer: "transformer"
        case .resformer(.identity): "resformer"
        case .resformer(.constant(let lambda)): "resformer:lambda=\(lambda)"
        case .resformer(.learnable): "resformer:learnable"
        case .svformer: "svformer"
        case .neutreno(let lambda): lambda == Self.neutrenoDefaultLambda ? "neutreno" : "neutreno:lambda=\(lambda)"
        case .neutrenoResformer: "neutreno+resformer"
        case .denseformer: "denseformer"
        case .cla: "cla"
        }
    }

    /// Families other than Llama run as plain transformers only.
    func requirePlain(family: String, path: String) throws {
        guard self == .auto || self == .transformer else {
            throw ModelError(path: path, "variant '\(self)' is implemented for the llama family only, not \(family)")
        }
    }
}

/// A `--variant` value that is not one of ``VariantRequest/spellings``.
public struct VariantParseError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public var description: String {
        "unknown variant '\(text)' (expected one of: \(VariantRequest.spellings.joined(separator: ", ")))"
    }
}

private extension Array where Element == String {
    /// The first element and the optional second.
    func splat() -> (String, String?) { (self.first ?? "", count > 1 ? self[1] : nil) }
}
