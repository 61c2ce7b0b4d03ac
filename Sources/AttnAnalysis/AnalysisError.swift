/// Why an analysis input was rejected.
///
/// Every case names the buffer or sample part at fault, the layer or state
/// index, and the sizes involved, so a failing run says exactly what the
/// caller handed over.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A dimension that must be positive (or otherwise constrained) is not.
    case invalidDimension(what: String, name: String, value: Int)
    /// A flat buffer's element count does not match the shape it was given with.
    case bufferSize(what: String, expected: Int, actual: Int)
    /// A value that must be finite is NaN or infinite.
    case nonFinite(what: String, offset: Int)
    /// Two parts of one sample disagree on a dimension (token count, head count, hidden size).
    case inconsistent(what: String, expected: Int, actual: Int)
    /// The same block or hidden state was handed over twice.
    case duplicate(what: String)
    /// A block or hidden state is missing when the sample is finished.
    case missing(what: String)
    /// A dataset summary was asked for over no samples.
    case emptyDataset
    /// A figure is beyond the magnitude a summary accepts (``Statistic/largestMagnitude``).
    case outOfRange(what: String, value: Double)

    public var description: String {
        switch self {
        case let .invalidDimension(what, name, value):
            "\(what): \(name) = \(value) is not a valid size"
        case let .bufferSize(what, expected, actual):
            "\(what): expected \(expected) floats, got \(actual)"
        case let .nonFinite(what, offset):
            "\(what): non-finite value at offset \(offset)"
        case let .inconsistent(what, expected, actual):
            "\(what): expected \(expected), got \(actual)"
        case let .duplicate(what):
            "\(what) was handed over twice"
        case let .missing(what):
            "\(what) is missing"
        case .emptyDataset:
            "a dataset summary needs at least one sample"
        case let .outOfRange(what, value):
            "\(what) = \(value) is beyond the ±\(Statistic.largestMagnitude) a summary accepts"
        }
    }
}

extension AnalysisError {
    /// The same error with `context` (e.g. "block 3") put in front of the part it names.
    func prefixed(_ context: String) -> AnalysisError {
        switch self {
        case let .invalidDimension(what, name, value):
            .invalidDimension(what: "\(context) \(what)", name: name, value: value)
        case let .bufferSize(what, expected, actual):
            .bufferSize(what: "\(context) \(what)", expected: expected, actual: actual)
        case let .nonFinite(what, offset): .nonFinite(what: "\(context) \(what)", offset: offset)
        case let .inconsistent(what, expected, actual):
            .inconsistent(what: "\(context) \(what)", expected: expected, actual: actual)
        case let .duplicate(what): .duplicate(what: "\(context) \(what)")
        case let .missing(what): .missing(what: "\(context) \(what)")
        case .emptyDataset: .emptyDataset
        case let .outOfRange(what, value): .outOfRange(what: "\(context) \(what)", value: value)
        }
    }
}
