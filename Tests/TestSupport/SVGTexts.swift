import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The texts of every `<text>` element of an SVG document, in document order, and whether it parsed.
public final class SVGTexts: NSObject, XMLParserDelegate {
    public private(set) var texts: [String] = []
    public private(set) var imageCount = 0
    private var current: String?

    /// Parses `svg`; nil when it is not well-formed XML.
    public static func parse(_ svg: String) -> SVGTexts? {
        let collector = SVGTexts()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    public func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == "text" { current = "" }
        if name == "image" { imageCount += 1 }
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let current { texts.append(current) }
        if name == "text" { current = nil }
    }
}
