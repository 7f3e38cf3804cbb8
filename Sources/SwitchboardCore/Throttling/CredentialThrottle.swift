package import Logging
import Synchronization

/// Slows down whoever keeps presenting wrong credentials (client secrets, client tokens, API
/// keys): past `server.credential_failures` failures from one address, or for one client id,
/// that address or client is refused for a while. Shared by every request of one daemon.
///
/// The counters are small synchronous state behind one `Mutex`; logging happens after unlocking.
package final class CredentialThrottle: Sendable {
    /// Who failed: the place a request came from, or the client it claimed to be.
    package enum Source: Sendable, Hashable, CustomStringConvertible {
        case address(String)
        case client(String)

        package var description: String {
            switch self {
            case .address(let address): "address \(address)"
            case .client(let id): "client \(id)"
            }
        }
    }

    private struct State {
        var counters: [Source: FailureCounter] = [:]
        /// Spent counters are dropped when the table grows past this, so that a spray of
        /// addresses cannot grow it for ever.
        var sweepAt = 1024
    }

    private let limits: CredentialFailureLimits
    private let clock: any SwitchboardClock
    private let state = Mutex(State())

    /// - Parameters:
    ///   - limits: `server.credential_failures` from the configuration.
    ///   - clock: The time source; tests pass one they move by hand.
    package init(limits: CredentialFailureLimits, clock: any SwitchboardClock = SystemClock()) {
        self.limits = limits
        self.clock = clock
    }

    /// How long the longest block among `sources` still lasts, or `nil` when none is blocked.
    package func retryAfter(_ sources: [Source]) -> Duration? {
        let now = clock.now
        let until = state.withLock { state in sources.compactMap { state.counters[$0]?.blocked(now: now) }.max() }
        return until.map { $0 - now }
    }

    /// Counts a failure for each of `sources`, and logs each block it starts, once.
    package func recordFailure(_ sources: [Source], logger: Logger) {
        let now = clock.now
        let started = state.withLock { state -> [Source] in
            var started: [Source] = []
            for source in sources {
                var counter = state.counters[source] ?? FailureCounter(now: now)
                if counter.recordFailure(now: now, limits: limits) { started.append(source) }
                state.counters[source] = counter
            }
            if state.counters.count > state.sweepAt {
                state.counters = state.counters.filter { !$0.value.isSpent(now: now, limits: limits) }
                state.sweepAt = max(1024, state.counters.count * 2)
            }
            return started
        }
        for source in started {
            logger.warning(
                "too many failed credentials; refusing for a while",
                metadata: ["sb.throttle.source": "\(source)", "sb.throttle.seconds": "\(limits.block.retryAfterSeconds)"]
            )
        }
    }
}
