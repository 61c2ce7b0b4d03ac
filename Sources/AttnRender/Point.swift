/// A position in canvas pixel coordinates: `x` grows to the right and `y` downwards; pixel
/// (i, j) covers [i, i+1) × [j, j+1), so its centre is (i + 0.5, j + 0.5).
public struct Point: Sendable, Hashable {
    /// Horizontal coordinate in pixels.
    public var x: Float
    /// Vertical coordinate in pixels, downwards.
    public var y: Float

    /// A point from its coordinates.
    public init(x: Float, y: Float) {
        self.x = x
        self.y = y
    }
}
