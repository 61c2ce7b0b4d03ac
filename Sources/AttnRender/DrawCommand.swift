/// One drawing operation of a figure, in canvas pixel coordinates: what a ``Drawing`` records and
/// both the raster (``Canvas/init(_:)``) and the vector (``Drawing/svg``) outputs replay.
public enum DrawCommand: Sendable {
    /// `rect` filled with `color` (laid over what is below when translucent).
    case fill(Rect, RGBA)
    /// The outline of `rect`, `thickness` pixels wide, inside the rectangle.
    case stroke(Rect, RGBA, thickness: Int)
    /// A straight line with round ends.
    case line(from: Point, to: Point, color: RGBA, width: Float)
    /// A dashed straight line: `dash` drawn, `gap` skipped, starting with a dash.
    case dashedLine(from: Point, to: Point, color: RGBA, width: Float, dash: Float, gap: Float)
    /// Connected segments through the points.
    case polyline([Point], RGBA, width: Float)
    /// A filled marker centred on a point, `size` pixels across.
    case marker(MarkerShape, at: Point, size: Float, color: RGBA)
    /// The band between two curves sampled at the same x positions.
    case band(upper: [Point], lower: [Point], color: RGBA)
    /// A run of text whose box (as ``TextStyle/box(of:x:y:horizontal:vertical:)`` placed it) is `box`.
    case text(String, box: Rect, style: TextStyle)
    /// `matrix` painted with its top-left cell at (`x`, `y`), each entry a `cell` × `cell` square.
    case heatmap(Matrix, x: Int, y: Int, cell: Int, colormap: Colormap, scale: ColorScale)
}
