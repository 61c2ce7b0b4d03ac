/// The report page's style sheet.
enum ReportStyle {
    static let css = #"""
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 16px 48px; color: #222; }
        h1 { font-size: 22px; margin: 20px 0 4px; }
        h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; font-size: 13px; }
        td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
        #manifest td:first-child { color: #555; white-space: nowrap; }
        #errors { color: #b00020; white-space: pre-wrap; }
        #errors:empty { display: none; }
        .controls label { margin-right: 14px; }
        #map-area { display: grid; grid-template-columns: minmax(0, 610px) minmax(0, 1fr); gap: 8px 24px; }
        #tokens { grid-column: 1 / 3; font: 12px/1.8 ui-monospace, monospace; max-height: 110px; overflow: auto; }
        #tokens span { display: inline-block; padding: 0 3px; margin: 0 2px 2px 0; background: #f2f2f2; cursor: pointer; white-space: pre; }
        #tokens span.selected { background: #ffd54f; }
        #map { max-width: 100%; cursor: crosshair; border: 1px solid #999; }
        .swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #999; vertical-align: middle; }
        #readout, #scale-note { font-size: 12px; color: #444; margin: 4px 0; }
        #row h4, #column h4 { margin: 6px 0 2px; font-size: 13px; }
        #row ol, #column ol { margin: 2px 0; padding-left: 20px; font-size: 12px; }
        #heads tr { cursor: pointer; }
        #heads tr.selected { background: #ffe9a8; }
        #heads th { border-bottom: 1px solid #ccc; }
        figure { margin: 16px 0; overflow-x: auto; }
        figure svg { max-width: 100%; height: auto; }
        figcaption { font-size: 12px; color: #555; }
        """#
}
