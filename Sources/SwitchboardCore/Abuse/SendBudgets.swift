/// `apps.ID.otp.budgets:` — how many codes an app may send per destination country, and in all,
/// per hour and per day. A pumping attack is stopped by the budget of the country it targets
/// while sends to other countries go on.
package struct SendBudgets: Sendable, Equatable {
    /// Countries named in the configuration, by ISO code.
    package var countries: [String: [BudgetRate]] = [:]
    /// `default:` — every other country's budget.
    package var other: [BudgetRate] = SendBudgets.builtInDefault
    /// `total:` — the app's sends to all countries together; none unless configured.
    package var total: [BudgetRate] = []

    /// What an app without `budgets` gets for each country.
    package static let builtInDefault = [BudgetRate(limit: 1000, window: .hour), BudgetRate(limit: 10_000, window: .day)]

    package init() {}

    /// The counters one send to `country` spends from, in a fixed order: the country's, then the total.
    package func counters(app: String, country: String) -> [BudgetCounter] {
        let own = (countries[country] ?? other).map {
            BudgetCounter(key: "\(app):country:\(country):\($0.window.rawValue)", scope: country, rate: $0)
        }
        let all = total.map { BudgetCounter(key: "\(app):total:\($0.window.rawValue)", scope: "total", rate: $0) }
        return own + all
    }
}

/// At most `limit` sends in each `window`.
package struct BudgetRate: Sendable, Hashable, CustomStringConvertible {
    package var limit: Int
    package var window: BudgetWindow

    package init(limit: Int, window: BudgetWindow) {
        self.limit = limit
        self.window = window
    }

    /// As written in the configuration: `50/h`, `400/d`.
    package var description: String { "\(limit)/\(window == .hour ? "h" : "d")" }
}

/// A fixed calendar window (UTC): counters start afresh at each hour or midnight, so a store keeps
/// one number per counter rather than every send's time.
package enum BudgetWindow: String, Sendable, Hashable {
    case hour
    case day

    package var microseconds: Int64 {
        switch self {
        case .hour: 3_600_000_000
        case .day: 86_400_000_000
        }
    }

    /// The start of the window that holds `instant` (microseconds since 1970).
    package func start(containing instant: Int64) -> Int64 {
        let length = microseconds
        return instant >= 0 ? instant / length * length : ((instant + 1) / length - 1) * length
    }
}

/// One budget a send spends from: what a store counts under `key`, per window.
package struct BudgetCounter: Sendable, Hashable {
    package var key: String
    /// The country's ISO code, or `total`: what the refusal and the log name.
    package var scope: String
    package var rate: BudgetRate

    package init(key: String, scope: String, rate: BudgetRate) {
        self.key = key
        self.scope = scope
        self.rate = rate
    }
}

/// What ``SendBudgetStore/spendBudget(_:now:)`` did.
package enum BudgetSpend: Sendable, Hashable {
    /// Counted against every counter.
    case spent
    /// Nothing counted: `counter` is spent until its window ends, `retryAfter` from now.
    /// `firstRefusal` is true for the first refusal of that counter in its window (the one to log).
    case overBudget(BudgetCounter, retryAfter: Duration, firstRefusal: Bool)
}

/// The budget rule every store applies inside its critical section.
package enum BudgetLimiter {
    /// A counter's state in the window that holds now.
    package struct Count: Sendable, Hashable {
        package var sends: Int
        /// Whether a send was refused on this counter in this window already.
        package var refused: Bool

        package init(sends: Int, refused: Bool) {
            self.sends = sends
            self.refused = refused
        }
    }

    /// `.spent` when every counter has room, else the first one that has none.
    /// - Parameter counts: One per counter, in the same order.
    package static func decide(_ counters: [BudgetCounter], counts: [Count], nowMicroseconds now: Int64) -> BudgetSpend {
        for (counter, count) in zip(counters, counts) where count.sends >= counter.rate.limit {
            let window = counter.rate.window
            let end = window.start(containing: now) + window.microseconds
            return .overBudget(counter, retryAfter: .microseconds(end - now), firstRefusal: !count.refused)
        }
        return .spent
    }
}
