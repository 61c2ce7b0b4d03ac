import ArgumentParser
import AttnScope

/// `--map-sample`, `--map-blocks`, `--map-heads`: which attention maps `analyze` and `render` draw.
struct MapOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Draw the maps of this sample (0-based prompt position; default 0).", valueName: "n"))
    var mapSample: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Draw the maps of these blocks: a list like 0,5,11 or 2-4, 'all' or 'figures' (first, middle, last; the default).",
            valueName: "blocks"))
    var mapBlocks: LayerSelection?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Draw one map per head of this list (like 0,2 or 'all') instead of the head mean and the grid of every head.",
            valueName: "heads"))
    var mapHeads: LayerSelection?

    /// The selection the flags make, or nil when none is given (the default maps).
    var selection: MapSelection? {
        guard mapSample != nil || mapBlocks != nil || mapHeads != nil else { return nil }
        return MapSelection(sample: mapSample ?? 0, blocks: mapBlocks ?? .figures, heads: mapHeads)
    }
}
