import AttnKernels

extension Batch {
    /// Calls `body(s, &observers[s])` for every prompt `s` of the batch:
    /// side by side on ``Parallel``'s workers when `sideBySide` (each call
    /// must then touch only prompt `s`'s rows and observer), else in prompt
    /// order. Either way every call is made; the error of the first prompt
    /// that failed is thrown. Which way they run changes no result: each
    /// prompt's work is the same calls, made in the same order.
    func forEachPrompt<Observer>(
        sideBySide: Bool, observers: inout [Observer], _ body: (_ prompt: Int, inout Observer) throws -> Void
    ) throws {
        assert(observers.count == prompts.count, "\(observers.count) observers for \(prompts.count) prompts")
        var errors = [(any Error)?](repeating: nil, count: prompts.count)
        if sideBySide, prompts.count > 1 {
            observers.withUnsafeMutableBufferPointer { observerSlots in
                errors.withUnsafeMutableBufferPointer { errorSlots in
                    nonisolated(unsafe) let (each, failures) = (observerSlots, errorSlots)
                    Parallel.forEach(prompts.count) { s in
                        do { try body(s, &each[s]) } catch { failures[s] = error }
                    }
                }
            }
        } else {
            for s in prompts.indices {
                do { try body(s, &observers[s]) } catch { errors[s] = error }
            }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
    }
}
