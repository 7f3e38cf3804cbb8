import Yams

extension ConfigParser {
    /// `apps.ID.otp.velocity: { prefix_digits: 7, max_numbers: 20, window: 10m, block_for: 1h }`, or `off`.
    /// - Returns: `.some(nil)` for `off`; `nil` after reporting a problem.
    static func readVelocity(_ node: ConfigNode) -> PrefixVelocityRule?? {
        if let text = node.scalarText {
            guard text == "off" else {
                node.report("\(node.describedPath) is \"\(text)\"; write off, or a mapping such as { prefix_digits: 7, max_numbers: 20, window: 10m, block_for: 1h }")
                return nil
            }
            return .some(nil)
        }
        guard let fields = node.mapping(allowedKeys: ["prefix_digits", "max_numbers", "window", "block_for"]) else { return nil }
        var rule = PrefixVelocityRule()
        var valid = true
        func read<T>(_ key: String, _ reader: (ConfigNode) -> T?, into keyPath: WritableKeyPath<PrefixVelocityRule, T>) {
            guard let field = fields[key] else { return }
            if let value = reader(field) { rule[keyPath: keyPath] = value } else { valid = false }
        }
        read("prefix_digits", { $0.integer(in: 3...14) }, into: \.prefixDigits)
        read("max_numbers", { $0.integer(in: 1...100_000) }, into: \.maxNumbers)
        read("window", { $0.duration(in: .seconds(1)...Duration.seconds(86_400)) }, into: \.window)
        read("block_for", { $0.duration(in: .seconds(1)...Duration.seconds(30 * 86_400)) }, into: \.blockFor)
        return valid ? .some(rule) : nil
    }
}

extension ConfigNode {
    /// A plain scalar's text, or `nil` for anything else (a mapping, a list, an empty value).
    fileprivate var scalarText: String? {
        guard case .scalar(let scalar) = node, !isNull else { return nil }
        return scalar.string
    }
}
