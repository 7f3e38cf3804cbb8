/// How libphonenumber reads a national (trunk) prefix written after the country calling code, as in
/// `+44 (0)20 7946 0000`: the main region's `national_prefix_for_parsing` and its transform rule.
struct NationalPrefixRule: Sendable {
    /// A piece of the replacement for the matched prefix.
    enum Part: Sendable, Equatable {
        case digits([UInt8])
        /// The digits a capturing group of `pattern` took (numbered from 1), or nothing.
        case group(Int)
    }

    let pattern: DigitPattern
    /// What replaces the matched prefix; `nil` means it is simply removed.
    let transform: [Part]?

    /// The national number with its prefix removed or rewritten, or `nil` where libphonenumber keeps
    /// the number as written, exactly as its `_maybe_strip_national_prefix_carrier_code` does.
    ///
    /// The caller still has to check the length of the result, as `parse` does.
    func apply(to number: [UInt8], general: DigitPattern) -> [UInt8]? {
        guard !number.isEmpty, let match = pattern.prefixMatch(number) else { return nil }
        let rest = number[match.end...]
        var candidate: [UInt8]
        // libphonenumber only transforms when the last group took part in the match.
        if let transform, pattern.groupCount > 0,
           match.group(pattern.groupCount, of: number) != nil {
            candidate = []
            for part in transform {
                switch part {
                case .digits(let digits):
                    candidate += digits
                case .group(let index):
                    candidate += match.group(index, of: number) ?? []
                }
            }
            candidate += rest
        } else {
            candidate = Array(rest)
        }
        // A number that fits the region's general pattern as written keeps its first digits unless
        // it still fits without them: "0" can be a real leading digit.
        if general.matchesWhole(number) && !general.matchesWhole(candidate) { return nil }
        return candidate
    }
}
