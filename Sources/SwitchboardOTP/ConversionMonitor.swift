package import Foundation
import Synchronization
package import SwitchboardCore

/// This daemon's view of the scopes each app's conversion rule slows, read from the counts every
/// daemon shares at most once every `refreshEvery` per app: a send reads the view, not the store.
///
/// One caller refreshes an app's view at a time; the others meanwhile use the view they find.
/// Outlives reloads, so that a reload neither loses a slowdown nor logs it again.
package final class ConversionMonitor: Sendable {
    /// A scope that became slowed, or stopped being slowed, at a refresh.
    package struct Change: Sendable, Hashable {
        package var tally: ConversionTally
        package var slowed: Bool

        package init(tally: ConversionTally, slowed: Bool) {
            self.tally = tally
            self.slowed = slowed
        }
    }

    private struct View {
        var rule: ConversionRule
        var evaluatedAt: Date
        var slowed: [ConversionScope: ConversionTally]
    }

    private struct State {
        var views: [String: View] = [:]
        var refreshing: Set<String> = []
    }

    private let state = Mutex(State())
    package let refreshEvery: Duration

    package init(refreshEvery: Duration = .seconds(5)) {
        self.refreshEvery = refreshEvery
    }

    /// The app's slowed scopes at `now`; when its view is older than `refreshEvery` (or of another
    /// rule), reads the counts with `read` first.
    /// - Returns: The slowed scopes, and the changes this call found (none when it did not refresh).
    /// - Throws: The error of `read`; the view is then left as it was, to be refreshed by the next call.
    package func slowed(
        app: String, rule: ConversionRule, now: Date, read: () async throws -> [ConversionTally]
    ) async throws -> (slowed: [ConversionScope: ConversionTally], changes: [Change]) {
        let current: [ConversionScope: ConversionTally]? = state.withLock { state in
            if let view = state.views[app], view.rule == rule, now < view.evaluatedAt.addingTimeInterval(refreshEvery.timeInterval) {
                return view.slowed
            }
            if state.refreshing.contains(app) { return state.views[app]?.slowed ?? [:] }
            state.refreshing.insert(app)
            return nil
        }
        if let current { return (current, []) }
        let tallies: [ConversionTally]
        do {
            tallies = try await read()
        } catch {
            state.withLock { _ = $0.refreshing.remove(app) }
            throw error
        }
        var slowed: [ConversionScope: ConversionTally] = [:]
        for tally in tallies where rule.isSlowed(tally) { slowed[tally.scope] = tally }
        let changes = state.withLock { state in
            let before = state.views[app]?.slowed ?? [:]
            state.views[app] = View(rule: rule, evaluatedAt: now, slowed: slowed)
            state.refreshing.remove(app)
            let began = slowed.values.filter { before[$0.scope] == nil }.map { Change(tally: $0, slowed: true) }
            let ended = before.values.filter { slowed[$0.scope] == nil }.map { Change(tally: $0, slowed: false) }
            return (began + ended).sorted { $0.tally.scope.key < $1.tally.scope.key }
        }
        return (slowed, changes)
    }

    /// Makes every app's next send read the counts again (after an operator cleared a scope).
    package func invalidate() {
        state.withLock { state in
            for app in state.views.keys { state.views[app]?.evaluatedAt = .distantPast }
        }
    }
}
