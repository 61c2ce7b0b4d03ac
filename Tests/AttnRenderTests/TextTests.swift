import Testing
@testable import AttnRender

/// Counts pixels in `rect` that differ from `background`.
func inkCount(_ canvas: Canvas, in rect: Rect, background: RGBA = .white) -> Int {
    var count = 0
    for y in rect.y..<rect.maxY {
        for x in rect.x..<rect.maxX where canvas.pixel(x: x, y: y).map({ $0 != background }) ?? false { count += 1 }
    }
    return count
}

@Suite struct TextTests {
    @Test func horizontalTextInksItsBoxOnly() throws {
        var canvas = try Canvas(width: 100, height: 30)
        let box = canvas.text("Hi 42", x: 10, y: 5)
        #expect(box == Rect(x: 10, y: 5, width: 30, height: 13))
        #expect(inkCount(canvas, in: box) > 20)
        #expect(inkCount(canvas, in: Rect(x: 0, y: 0, width: 100, height: 30)) == inkCount(canvas, in: box))
    }

    @Test func glyphMatchesTheFontBitmap() throws {
        var canvas = try Canvas(width: 6, height: 13)
        canvas.text("T", x: 0, y: 0)
        // misc-fixed 6x13 "T": row 2 is 0xF8 (five pixels), rows 3-10 are 0x20 (one pixel, column 2).
        #expect((0..<5).allSatisfy { canvas.pixel(x: $0, y: 2) == .black })
        #expect(canvas.pixel(x: 5, y: 2) == .white)
        #expect((3...10).allSatisfy { canvas.pixel(x: 2, y: $0) == .black && canvas.pixel(x: 1, y: $0) == .white })
    }

    @Test func rotatedTextReadsBottomToTop() throws {
        var canvas = try Canvas(width: 20, height: 40)
        let box = canvas.text("T", x: 0, y: 0, style: TextStyle(rotated: true))
        #expect(box.width == 13 && box.height == 6)
        // The bar of the "T" (row 2) becomes column 2, running up the box.
        #expect((1..<6).allSatisfy { canvas.pixel(x: 2, y: $0) == .black })
        #expect(inkCount(canvas, in: Rect(x: 0, y: 6, width: 20, height: 34)) == 0)
    }

    @Test func unknownCharactersDrawAVisibleBox() throws {
        let font = BitmapFont.fixed6x13
        #expect(!font.canDraw("Ġ") && !font.canDraw("🙂") && font.canDraw("×") && font.canDraw("a"))
        #expect(font.canDraw("␣") && font.canDraw("↵"), "the tokenizer's space and newline markers must be drawable")
        var canvas = try Canvas(width: 6, height: 13)
        canvas.text("Ġ", x: 0, y: 0)
        #expect(inkCount(canvas, in: Rect(x: 0, y: 0, width: 6, height: 13)) == 24)
        #expect(Array(font.rows(for: "Ġ")) != Array(font.rows(for: "O")))
    }

    @Test("The symbols figure labels and token labels use have glyphs of their own")
    func labelSymbolsHaveGlyphs() throws {
        let font = BitmapFont.fixed6x13
        let box = Array(font.rows(for: "Ġ"))
        for character in "εαλν≥≤×−–·±…␣↵⇥␍" {
            #expect(font.canDraw(character), "\(character)")
            #expect(Array(font.rows(for: character)) != box, "\(character) is drawn as the replacement box")
        }
        var canvas = try Canvas(width: 60, height: 13)
        canvas.text("ε = 0.3", x: 0, y: 0)
        #expect(inkCount(canvas, in: Rect(x: 0, y: 0, width: 6, height: 13)) < 24, "ε is not the box")
    }

    @Test func scaleAndBoldWidenTheText() throws {
        #expect(TextStyle(scale: 2).size(of: "abc") == (36, 26))
        #expect(TextStyle(bold: true).length(of: "abc") == 21)
        #expect(TextStyle.truncated("a-very-long-token", to: 8) == "a-very..")
    }

    @Test func labelThinningNeverOverlaps() throws {
        #expect(LabelThinning.step(pitch: 14, thickness: 11) == 1)
        #expect(LabelThinning.step(pitch: 12, thickness: 11) == 2)
        #expect(LabelThinning.step(pitch: 1, thickness: 11) == 20)
        for pitch in stride(from: Float(0.3), through: 30, by: 0.7) {
            let k = LabelThinning.step(pitch: pitch, thickness: 11)
            #expect(Float(k) * pitch >= 13)
        }
    }
}
