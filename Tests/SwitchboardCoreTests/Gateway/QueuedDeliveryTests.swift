import Foundation
import Testing
@testable import SwitchboardCore

/// Which outcomes of a queued message's send put it back in the queue rather than end it.
@Suite("Queued delivery outcomes")
struct QueuedDeliveryTests {
    static func attempt(_ provider: String, _ outcome: AttemptOutcome, _ code: String? = nil) -> DeliveryAttempt {
        DeliveryAttempt(provider: provider, outcome: outcome, providerCode: code, latencyMicroseconds: 0, startedAt: Date(timeIntervalSince1970: 0))
    }

    @Test("every provider skipped for a reason that passes: queued again")
    func passingSkipsWait() {
        for code in ["queue_full", "queue_timeout", "breaker_open", "retry_after"] {
            #expect(Gateway.waitsForProviders([Self.attempt("a", .skipped, code)]), "\(code)")
        }
        #expect(Gateway.waitsForProviders([Self.attempt("a", .skipped, "breaker_open"), Self.attempt("b", .skipped, "queue_full")]))
    }

    @Test("a provider tried, a send cut short, or no attempt at all: the outcome stands")
    func otherOutcomesEnd() {
        #expect(!Gateway.waitsForProviders([]))
        #expect(!Gateway.waitsForProviders([Self.attempt("a", .skipped, "queue_full"), Self.attempt("b", .retryable, "500")]))
        #expect(!Gateway.waitsForProviders([Self.attempt("a", .skipped, "queue_full"), Self.attempt("b", .skipped, "deadline_exhausted")]))
        #expect(!Gateway.waitsForProviders([Self.attempt("a", .skipped, "cancelled")]))
        #expect(!Gateway.waitsForProviders([Self.attempt("a", .ambiguous, "attempt_timeout")]))
    }
}
