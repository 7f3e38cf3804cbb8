import Yams

extension ConfigParser {
    /// `apps.ID.otp.conversion: { window: 1h, min_sends: 50, min_verified_share: 0.2, slow_to: 5/m, prefix_digits: 7 }`,
    /// or `off`; `prefix_digits: off` judges countries only.
    /// - Returns: `.some(nil)` for `off`; `nil` after reporting a problem.
    static func readConversion(_ node: ConfigNode) -> ConversionRule?? {
        let shape = "{ window: 1h, min_sends: 50, min_verified_share: 0.2, slow_to: 5/m, prefix_digits: 7 }"
        if case Node.scalar = node.node, !node.isNull {
            guard let text = node.string() else { return nil }
            guard text.value == "off" else {
                node.report("\(node.describedPath) is \(text.quoted); write off, or a mapping such as \(shape)")
                return nil
            }
            return .some(nil)
        }
        guard let fields = node.mapping(allowedKeys: ["window", "min_sends", "min_verified_share", "slow_to", "prefix_digits"]) else { return nil }
        var rule = ConversionRule()
        var valid = true
        func read<T>(_ key: String, _ reader: (ConfigNode) -> T?, into keyPath: WritableKeyPath<ConversionRule, T>) {
            guard let field = fields[key] else { return }
            if let value = reader(field) { rule[keyPath: keyPath] = value } else { valid = false }
        }
        read("window", { $0.duration(in: .seconds(300)...Duration.seconds(7 * 86_400)) }, into: \.window)
        read("min_sends", { $0.integer(in: 1...10_000_000) }, into: \.minSends)
        read("min_verified_share", readShare, into: \.minVerifiedShare)
        read("slow_to", readPerMinute, into: \.slowTo)
        read("prefix_digits", readPrefixDigits, into: \.prefixDigits)
        return valid ? .some(rule) : nil
    }

    /// A share of sent codes, more than 0 and at most 1: `0.2`.
    private static func readShare(_ node: ConfigNode) -> Double? {
        guard let text = node.string() else { return nil }
        guard let share = Double(text.value), share.isFinite, share > 0, share <= 1 else {
            node.report("\(node.describedPath) must be a share of sent codes above 0 and at most 1, such as 0.2, not \(text.quoted)")
            return nil
        }
        return share
    }

    /// Sends per minute: `5/m`, 0 to 100000 (0 refuses every send while slowed).
    private static func readPerMinute(_ node: ConfigNode) -> Int? {
        guard let text = node.string() else { return nil }
        let parts = text.value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1] == "m", !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigit), let rate = Int(parts[0]),
            (0...100_000).contains(rate)
        else {
            node.report("\(node.describedPath) must be sends per minute, such as 5/m (0 to 100000), not \(text.quoted)")
            return nil
        }
        return rate
    }

    /// 3 to 14 leading digits, or `off`.
    private static func readPrefixDigits(_ node: ConfigNode) -> Int?? {
        guard let text = node.string() else { return nil }
        if text.value == "off" { return .some(nil) }
        guard let digits = Int(text.value), (3...14).contains(digits) else {
            node.report("\(node.describedPath) must be a whole number from 3 to 14, or off, not \(text.quoted)")
            return nil
        }
        return .some(digits)
    }
}
