extension AttentionMapFigure {
    /// The difference `a - b` of two maps of the same shape (e.g. the same head in two
    /// checkpoints) on the diverging RdBu_r colormap, symmetric about 0: blue where `b` attends
    /// more, red where `a` does, white where they agree.
    public static func difference(
        _ a: Matrix, minus b: Matrix, rowLabels: [String] = [], columnLabels: [String] = [], title: String
    ) throws -> AttentionMapFigure {
        guard a.rows == b.rows, a.cols == b.cols else {
            throw RenderError.invalidInput(
                what: "difference", reason: "shapes \(a.rows)x\(a.cols) and \(b.rows)x\(b.cols) differ")
        }
        let delta = try Matrix(
            rows: a.rows, cols: a.cols, values: zip(a.values, b.values).map { $0 - $1 }, name: "difference")
        return try AttentionMapFigure(
            map: delta, rowLabels: rowLabels, columnLabels: columnLabels, title: title, colormap: .rdBu,
            scale: .symmetric(fitting: delta), colorBarCaption: "difference in attention weight")
    }
}
