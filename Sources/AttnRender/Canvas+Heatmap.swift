extension Canvas {
    /// Paints `matrix` with its top-left cell at (`x`, `y`), each entry a `cell` × `cell` square
    /// coloured by `colormap` at `scale.normalized(value)`; NaN entries (masked keys, undefined values)
    /// are ``RGBA/masked``.
    public mutating func heatmap(_ matrix: Matrix, x: Int, y: Int, cell: Int, colormap: Colormap, scale: ColorScale) {
        let side = max(1, cell)
        for i in 0..<matrix.rows {
            for j in 0..<matrix.cols {
                let t = scale.normalized(matrix[i, j])
                let color = t.isNaN ? RGBA.masked : colormap.color(at: t)
                fill(Rect(x: x + j * side, y: y + i * side, width: side, height: side), color)
            }
        }
    }
}
