/// Decides the encoding of a text and splits it into SMS segments the way phones and providers do.
///
/// - GSM-7 when every character is in the GSM 03.38 default alphabet, otherwise UCS-2 for the whole text.
/// - One SMS holds 160 septets or 70 UTF-16 code units; a longer text is split into parts of at most
///   153 septets or 67 code units.
/// - An escape pair (`€`, `[`, ...) is never split, so a GSM-7 part may hold 152 septets.
/// - In UCS-2 a grapheme (an emoji with its modifiers, a letter with its accents) is never split
///   unless it is too long for any part alone, and even then a surrogate pair stays whole.
/// - GSM-7 is counted per Unicode scalar, not per `Character`: "\r\n" is one `Character` but two
///   GSM-7 characters, and may be split between parts like any two characters.
package enum SMSSegmenter {
    /// - Parameter text: The message exactly as it will be sent.
    /// - Returns: The encoding, the units, and the segments; an empty text is one segment of 0 units,
    ///   because a sent SMS is billed and delivered as one message however short.
    package static func analyze(_ text: String) -> SegmentAnalysis {
        if let layout = gsm7Layout(of: text) {
            let single = layout.septets <= SMSEncoding.gsm7.singleMessageCapacity
            return SegmentAnalysis(
                encoding: .gsm7, units: layout.septets,
                segments: single ? [text] : split(text, at: layout.cuts)
            )
        }
        let units = text.utf16.count
        let single = units <= SMSEncoding.ucs2.singleMessageCapacity
        return SegmentAnalysis(encoding: .ucs2, units: units, segments: single ? [text] : split(text, at: ucs2Cuts(in: text)))
    }

    /// The distinct characters that keep `text` out of GSM-7, in order of first appearance.
    /// - Parameters:
    ///   - text: The message.
    ///   - limit: Stop after this many.
    package static func nonGSMCharacters(in text: String, limit: Int = .max) -> [Character] {
        var found: [Character] = []
        for character in text where found.count < limit {
            if character.unicodeScalars.contains(where: { GSM7Alphabet.septets(for: $0) == nil }), !found.contains(character) {
                found.append(character)
            }
        }
        return found
    }

    /// Total septets and where each concatenated part would start, or `nil` if GSM-7 cannot carry the text.
    ///
    /// One pass does both because nearly every message is GSM-7: the cuts cost nothing until a text
    /// passes 153 septets, and are ignored when it stays within 160.
    private static func gsm7Layout(of text: String) -> (septets: Int, cuts: [String.Index])? {
        let capacity = SMSEncoding.gsm7.concatenatedSegmentCapacity
        let scalars = text.unicodeScalars
        var septets = 0
        var inSegment = 0
        var cuts: [String.Index] = []
        var index = scalars.startIndex
        while index < scalars.endIndex {
            guard let cost = GSM7Alphabet.septets(for: scalars[index]) else { return nil }
            // Cutting before the character keeps an escape pair together.
            if inSegment + cost > capacity {
                cuts.append(index)
                inSegment = 0
            }
            inSegment += cost
            septets += cost
            scalars.formIndex(after: &index)
        }
        return (septets, cuts)
    }

    /// Where each UCS-2 part starts after the first.
    private static func ucs2Cuts(in text: String) -> [String.Index] {
        let capacity = SMSEncoding.ucs2.concatenatedSegmentCapacity
        var cuts: [String.Index] = []
        var inSegment = 0
        func place(_ units: Int, at index: String.Index) {
            if inSegment + units > capacity {
                cuts.append(index)
                inSegment = 0
            }
            inSegment += units
        }
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            let units = text.utf16.distance(from: index, to: next)
            if units <= capacity {
                place(units, at: index)
            } else {
                // A grapheme longer than a whole part must be split somewhere; split it between scalars.
                let scalars = text.unicodeScalars[index..<next]
                for scalarIndex in scalars.indices {
                    place(UTF16.width(scalars[scalarIndex]), at: scalarIndex)
                }
            }
            index = next
        }
        return cuts
    }

    /// The pieces of `text` between consecutive cuts. Slices the scalar view because a cut may fall
    /// inside a `Character` (between CR and LF), where `String`'s own subscript would round it down.
    private static func split(_ text: String, at cuts: [String.Index]) -> [String] {
        let scalars = text.unicodeScalars
        var segments: [String] = []
        segments.reserveCapacity(cuts.count + 1)
        var start = scalars.startIndex
        for cut in cuts {
            segments.append(String(scalars[start..<cut]))
            start = cut
        }
        segments.append(String(scalars[start...]))
        return segments
    }
}
