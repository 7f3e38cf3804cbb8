extension ConfigParser {
    /// `apps.ID.otp.number_types: [mobile, fixed_line_or_mobile, ...]`: every entry a known type,
    /// none twice, at least one.
    static func readNumberTypes(_ node: ConfigNode) -> Set<NumberType>? {
        guard let items = node.stringList() else { return nil }
        guard !items.isEmpty else {
            node.report("\(node.describedPath) is empty; list the number types OTPs may go to, such as [mobile, fixed_line_or_mobile]")
            return nil
        }
        var types: Set<NumberType> = []
        var valid = true
        let names = NumberType.allCases.map(\.rawValue)
        for item in items {
            guard let type = NumberType(rawValue: item.value) else {
                valid = false
                let hint = Suggestion.didYouMean(item.value, among: names)
                item.node.report("\(item.quoted) in \(node.describedPath) is not a number type\(hint); write one of \(names.joined(separator: ", "))")
                continue
            }
            if !types.insert(type).inserted {
                item.node.report("number type \(type.rawValue) is listed twice in \(node.describedPath)")
                valid = false
            }
        }
        return valid ? types : nil
    }
}
