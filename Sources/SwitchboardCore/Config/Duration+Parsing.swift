extension Duration {
    /// Parses durations as written in configuration: a number and a unit, possibly several
    /// (`500ms`, `30s`, `5m`, `1h`, `1h30m`, `2d`).
    /// - Returns: `nil` when the text is not such a duration.
    package init?(configText text: String) {
        var total = Duration.zero
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix(while: \.isASCIILetter)
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += .milliseconds(amount)
            case "s": total += .seconds(amount)
            case "m": total += .seconds(amount * 60)
            case "h": total += .seconds(amount * 3600)
            case "d": total += .seconds(amount * 86400)
            default: return nil
            }
        }
        self = total
    }

    /// The duration in configuration form, such as `5m` or `1h30m`.
    package var configText: String {
        var milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 { return "0s" }
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where milliseconds >= size {
            text += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return text
    }
}
