extension SMSEncoding {
    /// Units (septets or UTF-16 code units) that fit in a message sent as one SMS.
    package var singleMessageCapacity: Int {
        switch self {
        case .gsm7: 160
        case .ucs2: 70
        }
    }

    /// Units that fit in each part of a concatenated message; the rest of the 140 octets is the
    /// user data header that tells the phone how to join the parts.
    package var concatenatedSegmentCapacity: Int {
        switch self {
        case .gsm7: 153
        case .ucs2: 67
        }
    }

    /// What `units` counts, for messages: "septets" or "UTF-16 code units".
    package var unitName: String {
        switch self {
        case .gsm7: "septets"
        case .ucs2: "UTF-16 code units"
        }
    }

    /// Most units a message may have and still fit in `segments` segments (escape pairs and
    /// graphemes kept whole can make the true figure a little lower).
    package func capacity(inSegments segments: Int) -> Int {
        segments <= 1 ? singleMessageCapacity : concatenatedSegmentCapacity * segments
    }
}
