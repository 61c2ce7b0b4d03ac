import ArgumentParser

/// A standard prompt set `analyze --probe` generates for the checkpoint at hand.
enum ProbePrompts: String, ExpressibleByArgument, CaseIterable {
    /// Repeated random tokens (``InductionProbe``).
    case induction
}
