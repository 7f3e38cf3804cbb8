package import Logging

/// Walks a route's providers for one message. The seam where failover lives (`FailoverDispatcher`).
package protocol DeliveryDispatcher: Sendable {
    /// Tries the plan's providers until one accepts or the failover rules say stop.
    /// - Returns: Every attempt made or skipped, in order; the message was sent if the last one is accepted.
    func deliver(_ message: OutboundMessage, plan: DeliveryPlan, deadline: ContinuousClock.Instant, logger: Logger) async -> [DeliveryAttempt]
}

extension Duration {
    package var wholeMicroseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}
