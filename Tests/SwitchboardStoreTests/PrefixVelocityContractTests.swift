import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// Prefix velocity on every store: distinct numbers within the window, a block that refuses until
/// it ends or is cleared, apps counted apart.
@Suite("Prefix velocity store contract")
struct PrefixVelocityContractTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    var rule: PrefixVelocityRule {
        var rule = PrefixVelocityRule()
        rule.maxNumbers = 3
        rule.window = .seconds(600)
        rule.blockFor = .seconds(3600)
        return rule
    }

    @Test(arguments: StoreKind.allCases)
    func moreDistinctNumbersThanAllowedBlockThePrefix(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            func note(_ number: Int, at seconds: Double, app: String = "demo") async throws -> PrefixCheck {
                try await store.notePrefixSend(app: app, prefix: "4477009", number: "+44770090000\(number)", now: t0.addingTimeInterval(seconds), rule: rule)
            }
            #expect(try await note(1, at: 0) == .allowed)
            // The same number again is not another number.
            #expect(try await note(1, at: 1) == .allowed)
            #expect(try await note(2, at: 2) == .allowed)
            #expect(try await note(3, at: 3) == .allowed)
            // Another app counts apart.
            #expect(try await note(4, at: 4, app: "other") == .allowed)
            let until = t0.addingTimeInterval(3604)
            #expect(try await note(4, at: 4) == .blocked(until: until, newly: true, numbers: 4))
            #expect(try await note(1, at: 5) == .blocked(until: until, newly: false, numbers: 4))
            let listed = try await store.blockedPrefixes(now: t0.addingTimeInterval(5))
            #expect(listed == [BlockedPrefix(app: "demo", prefix: "4477009", blockedAt: t0.addingTimeInterval(4), until: until, numbers: 4)])
            // The block ends by itself; the numbers seen before it have left the window.
            #expect(try await store.blockedPrefixes(now: until).isEmpty)
            #expect(try await note(5, at: 3604) == .allowed)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func numbersLeaveTheWindow(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            for number in 1...3 {
                let check = try await store.notePrefixSend(
                    app: "demo", prefix: "4477009", number: "+44770090000\(number)", now: t0.addingTimeInterval(Double(number)), rule: rule
                )
                #expect(check == .allowed)
            }
            // Ten minutes after the first, only two of the three are still within the window.
            let later = try await store.notePrefixSend(app: "demo", prefix: "4477009", number: "+447700900004", now: t0.addingTimeInterval(601), rule: rule)
            #expect(later == .allowed)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func clearingEndsTheBlockInEveryAppAndForgetsTheNumbers(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            for app in ["demo", "other"] {
                for number in 1...4 {
                    _ = try await store.notePrefixSend(app: app, prefix: "4477009", number: "+44770090000\(number)", now: t0, rule: rule)
                }
            }
            #expect(try await store.blockedPrefixes(now: t0).count == 2)
            #expect(try await store.unblockPrefix("4477009", now: t0) == ["demo", "other"])
            #expect(try await store.blockedPrefixes(now: t0).isEmpty)
            #expect(try await store.unblockPrefix("4477009", now: t0) == [])
            let afresh = try await store.notePrefixSend(app: "demo", prefix: "4477009", number: "+447700900005", now: t0, rule: rule)
            #expect(afresh == .allowed)
        }
    }
}
