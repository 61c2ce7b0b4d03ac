/// Which attention maps the figures draw (`--map-sample`, `--map-blocks`, `--map-heads`): one
/// sample's maps of some blocks, either as the head mean with every head in a grid, or as one
/// figure per chosen head.
public struct MapSelection: Sendable, Equatable {
    /// The sample, by its 0-based position in the prompt set.
    public var sample: Int
    /// The blocks drawn.
    public var blocks: LayerSelection
    /// The heads drawn one figure each (with a grid of them); nil for the head mean and a grid of every head.
    public var heads: LayerSelection?

    /// What `analyze` draws unless told otherwise: sample 0's first, middle and last blocks, head mean and grid.
    public static let standard = MapSelection(sample: 0, blocks: .figures, heads: nil)

    /// A selection from its parts.
    public init(sample: Int, blocks: LayerSelection, heads: LayerSelection?) {
        self.sample = sample
        self.blocks = blocks
        self.heads = heads
    }

    /// Throws one usage line naming the first part that a run of `prompts` prompts through a model
    /// of `layers` blocks and `heads` heads lacks.
    package func check(prompts: Int, layers: Int, heads: Int) throws {
        guard sample >= 0, sample < prompts else {
            throw ScopeError.usage(
                "--map-sample \(sample): the prompt set has \(prompts) prompt\(prompts == 1 ? "" : "s") (0-\(prompts - 1))"
            )
        }
        try blocks.check(layers: layers, flag: "--map-blocks")
        try self.heads?.check(layers: heads, flag: "--map-heads", unit: "head")
    }
}
