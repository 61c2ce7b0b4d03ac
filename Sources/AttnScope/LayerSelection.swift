/// Which blocks' attention maps to keep (`--save-attention`): `none`, `all`,
/// `figures` (first, middle, last), or a list like `0,5,29` or `0-3,29`.
///
/// A list is kept as ranges, never expanded, so `0-100000000` costs nothing;
/// a reversed or negative range is refused when parsed, a block the model
/// lacks when the model is known (``missing(layers:)``).
public struct LayerSelection: Sendable, Equatable, CustomStringConvertible {
    private enum Choice: Equatable { case none, all, figures, list([ClosedRange<Int>]) }
    private let choice: Choice

    /// No block.
    public static let none = LayerSelection(choice: .none)
    /// The first, middle and last blocks: what the standard figures draw.
    public static let figures = LayerSelection(choice: .figures)

    private init(choice: Choice) { self.choice = choice }

    /// Parses a selection; throws a one-line usage error for anything but the forms above.
    package init(parsing text: String) throws {
        switch text.lowercased() {
        case "none", "": choice = .none
        case "all": choice = .all
        case "figures": choice = .figures
        default:
            choice = .list(
                try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
                    let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                        .map { Int($0.trimmingCharacters(in: .whitespaces)) }
                    guard let low = bounds[0], low >= 0, let high = bounds.count == 2 ? bounds[1] : low, high >= low
                    else {
                        throw ScopeError.usage(
                            "--save-attention: '\(part)' is not a block, a range like 2-5, 'all', 'figures' or 'none'")
                    }
                    return low...high
                })
        }
    }

    /// The selection as `--save-attention` spells it.
    public var description: String {
        switch choice {
        case .none: "none"
        case .all: "all"
        case .figures: "figures"
        case .list(let ranges):
            ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
                .joined(separator: ",")
        }
    }

    /// The selected blocks of a model with `layers` blocks, ascending.
    public func layers(of layers: Int) -> [Int] {
        switch choice {
        case .none: []
        case .all: Array(0..<layers)
        case .figures: Array(Set([0, layers / 2, layers - 1])).sorted()
        case .list(let ranges): (0..<layers).filter { layer in ranges.contains { $0.contains(layer) } }
        }
    }

    /// The parts of the list beyond a model with `layers` blocks (e.g. `3…100000000`), empty when it has them all.
    package func missing(layers: Int) -> [ClosedRange<Int>] {
        guard case .list(let ranges) = choice else { return [] }
        return ranges.filter { $0.upperBound >= layers }.map { max($0.lowerBound, layers)...$0.upperBound }
    }

    /// Throws a usage error naming the blocks a model with `layers` blocks does not have; `flag`
    /// names the option and `unit` what it counts ("block", or "head" for `--map-heads`).
    package func check(layers: Int, flag: String = "--save-attention", unit: String = "block") throws {
        let missing = missing(layers: layers)
        guard missing.isEmpty else {
            throw ScopeError.usage(
                "\(flag): the model has \(layers) \(unit)s (0-\(layers - 1)); no \(unit) \(LayerSelection(choice: .list(missing)))"
            )
        }
    }
}
