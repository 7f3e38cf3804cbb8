extension ConfigParser {
    /// `apps.ID.otp.budgets: { default: 1000/h, NG: 50/h, GB: [200/h, 2000/d], total: 20000/d }`:
    /// `default` for every country not named, `total` for all countries together; each value one
    /// rate or a list of rates (`N/h`, `N/d`, at most one of each), or `none`.
    static func readBudgets(_ node: ConfigNode) -> SendBudgets? {
        guard let entries = node.mapping(validatingKeys: { key in
            if key == "default" || key == "total" || CountryCodes.iso3166Alpha2.contains(key) { return nil }
            let hint = CountryCodes.suggestion(for: key).map { " (did you mean \($0)?)" } ?? ""
            return "'\(key)' in \(node.describedPath) is not default, total or an ISO 3166 alpha-2 country code\(hint)"
        }) else { return nil }
        var budgets = SendBudgets()
        var valid = true
        for (key, value) in entries.entries {
            guard let rates = readRates(value) else {
                valid = false
                continue
            }
            switch key {
            case "default": budgets.other = rates
            case "total": budgets.total = rates
            default: budgets.countries[key] = rates
            }
        }
        return valid ? budgets : nil
    }

    private static func readRates(_ node: ConfigNode) -> [BudgetRate]? {
        guard let items = node.stringList() else { return nil }
        guard !items.isEmpty else {
            node.report("\(node.describedPath) has no budget; write sends per hour or per day, such as 50/h or [50/h, 400/d], or none")
            return nil
        }
        if items.count == 1, items[0].value == "none" { return [] }
        var rates: [BudgetRate] = []
        for item in items {
            guard let rate = rate(item.value) else {
                item.node.report("\(item.quoted) in \(node.describedPath) is not a budget; write sends per hour or per day, such as 50/h or 400/d (1 to 10000000), or none")
                return nil
            }
            if rates.contains(where: { $0.window == rate.window }) {
                item.node.report("\(node.describedPath) has two budgets per \(rate.window.rawValue); keep one")
                return nil
            }
            rates.append(rate)
        }
        return rates
    }

    private static func rate(_ text: String) -> BudgetRate? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].allSatisfy(\.isASCIIDigit), let limit = Int(parts[0]), (1...10_000_000).contains(limit) else {
            return nil
        }
        switch parts[1] {
        case "h": return BudgetRate(limit: limit, window: .hour)
        case "d": return BudgetRate(limit: limit, window: .day)
        default: return nil
        }
    }
}
