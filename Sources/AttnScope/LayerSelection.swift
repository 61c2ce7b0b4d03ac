/// Which blocks' attention maps to keep (`--save-attention`): `none`, `all`,
/// `figures` (first, middle, last), or a list like `0,5,29` or `0-3,29`.
public struct LayerSelection: Sendable, Equatable {
    private enum Choice: Equatable { case none, all, figures, list(Set<Int>) }
    private let choice: Choice

    public static let none = LayerSelection(choice: .none)
    /// The first, middle and last blocks: what the standard figures draw.
    public static let figures = LayerSelection(choice: .figures)

    private init(choice: Choice) { self.choice = choice }

    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "none", "": choice = .none
        case "all": choice = .all
        case "figures": choice = .figures
        default:
            var layers = Set<Int>()
            for part in text.split(separator: ",") {
                let bounds = part.split(separator: "-", maxSplits: 1).map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard let low = bounds.first ?? nil, low >= 0, bounds.count == 1 || (bounds[1] ?? -1) >= low else {
                    throw ScopeError.badInput("--save-attention: '\(part)' is not a layer, a range like 2-5, 'all', 'figures' or 'none'")
                }
                layers.formUnion(low...(bounds.count == 2 ? bounds[1]! : low))
            }
            choice = .list(layers)
        }
    }

    /// The selected blocks of a model with `layers` blocks, ascending.
    public func layers(of layers: Int) -> [Int] {
        switch choice {
        case .none: []
        case .all: Array(0..<layers)
        case .figures: Array(Set([0, layers / 2, layers - 1])).sorted()
        case .list(let set): set.filter { $0 < layers }.sorted()
        }
    }

    /// Layers in the list that the model does not have.
    public func missing(layers: Int) -> [Int] {
        if case .list(let set) = choice { return set.filter { $0 >= layers }.sorted() }
        return []
    }
}
