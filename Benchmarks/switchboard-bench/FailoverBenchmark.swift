import Foundation
import Logging
import SwitchboardCore

/// Send latency through `Gateway.send` and the failover dispatcher, with an in-process provider
/// that answers at once: once with a healthy primary, once with the primary down and its breaker
/// open (each send skips it, records the skip, and is accepted by the backup). The second should
/// be within 10% of the first: an open breaker must cost next to nothing.
enum FailoverBenchmark {
    static let benchmark = Benchmark(
        name: "failover",
        summary: "Gateway.send latency: healthy primary vs. primary down with its breaker open (budget: within 10%)",
        run: run
    )

    static let yaml = """
        apps:
          bench:
            name: Bench
            message: "{otp} is your {app} code"
        providers:
          primary: { type: default }
          backup: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: BENCH, providers: [primary, backup] }
        delivery:
          breaker: { failures: 5, open_for: 1h }
        """

    static let sendsPerBlock = 1_000
    static let blocks = 40
    static let warmUpBlocks = 4

    static func run() async {
        let config: SwitchboardConfig
        do {
            config = try ConfigParser.parse(yaml: yaml, file: "bench.yaml", environment: [:])
        } catch {
            print("benchmark configuration is invalid: \(error)")
            return
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let healthy = gateway(config, primaryUp: true)
        let degraded = gateway(config, primaryUp: false)
        let request = SendRequest(to: "+447700900123", app: "bench", kind: .otp, content: .template(otp: "123456", minutes: nil))

        // Open the degraded primary's breaker: five failed sends, each accepted by the backup.
        for _ in 0..<5 { _ = try? await degraded.send(request, logger: logger) }
        let check = try? await degraded.send(request, logger: logger)
        guard let check, check.attempts.map(\.outcome) == [.skipped, .accepted] else {
            print("the primary's breaker did not open; attempts: \(check?.attempts.map(\.outcome.rawValue) ?? [])")
            return
        }

        // Blocks alternate between the two, so drift in the machine's speed hits both alike.
        var healthySamples: [Double] = []
        var degradedSamples: [Double] = []
        for block in 0..<(warmUpBlocks + blocks) {
            let measured = block >= warmUpBlocks
            let a = await sample(healthy, request, logger: logger)
            let b = await sample(degraded, request, logger: logger)
            if measured {
                healthySamples += a
                degradedSamples += b
            }
        }
        let first = Summary(healthySamples)
        let second = Summary(degradedSamples)
        print("sends: \(healthySamples.count) each, one at a time, \(blocks) alternating blocks of \(sendsPerBlock) after \(warmUpBlocks) warm-up blocks")
        print("healthy primary:             median \(format(first.median)) µs, p99 \(format(first.p99)) µs per send")
        print("primary down, breaker open:  median \(format(second.median)) µs, p99 \(format(second.p99)) µs per send")
        let ratio = second.median / first.median
        let verdict = ratio <= 1.10 ? "within" : "OVER"
        print("median ratio \(format(ratio * 100))% (\(verdict) the 110% budget)")
    }

    /// Times `sendsPerBlock` sends, one at a time, in microseconds each.
    private static func sample(_ gateway: Gateway, _ request: SendRequest, logger: Logger) async -> [Double] {
        let clock = ContinuousClock()
        var samples: [Double] = []
        samples.reserveCapacity(sendsPerBlock)
        for _ in 0..<sendsPerBlock {
            let start = clock.now
            let result = try? await gateway.send(request, logger: logger)
            let elapsed = clock.now - start
            blackHole(result?.messageID)
            samples.append(elapsed.inNanoseconds / 1_000)
        }
        return samples
    }

    private static func gateway(_ config: SwitchboardConfig, primaryUp: Bool) -> Gateway {
        let providers: [any SMSProvider] = [
            InstantProvider(name: "primary", outcome: primaryUp ? .accepted : .retryable),
            InstantProvider(name: "backup", outcome: .accepted),
        ]
        let breakers = CircuitBreakerRegistry(settings: config.delivery.breaker)
        // Not run: these providers answer at once, so no cut-off ever has to ring.
        let dispatcher = FailoverDispatcher(
            providers: providers, attemptTimeout: config.delivery.attemptTimeout, breakers: breakers, alarms: Alarms()
        )
        return Gateway(config: config, dispatcher: dispatcher, store: DiscardingStore())
    }

    private struct Summary {
        let median: Double
        let p99: Double

        init(_ samples: [Double]) {
            let sorted = samples.sorted()
            func rank(_ percent: Double) -> Double {
                guard !sorted.isEmpty else { return .nan }
                let index = Int((percent / 100 * Double(sorted.count)).rounded(.up)) - 1
                return sorted[max(0, min(sorted.count - 1, index))]
            }
            median = rank(50)
            p99 = rank(99)
        }
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}

/// A provider in the same process that answers at once, so the figures are the gateway's own.
private struct InstantProvider: SMSProvider {
    let name: String
    let outcome: AttemptOutcome

    func send(_ message: OutboundMessage, deadline: ContinuousClock.Instant, logger: Logger) async -> ProviderResponse {
        ProviderResponse(outcome: outcome, providerMessageID: outcome == .accepted ? message.id : nil, code: outcome == .accepted ? nil : "503")
    }
}

/// A store that keeps nothing: the benchmark measures routing, rendering and delivery, not storage.
private struct DiscardingStore: MessageStore {
    func save(_ record: MessageRecord) async throws {}
    func message(id: String) async throws -> MessageRecord? { nil }
    func recentMessages(to: String?, status: MessageStatus?, limit: Int) async throws -> [MessageRecord] { [] }
    func markInterrupted(createdBefore cutoff: Date, note: DeliveryAttempt) async throws -> Int { 0 }
    func claimQueued(limit: Int, at date: Date) async throws -> [MessageRecord] { [] }
    func countQueued() async throws -> Int { 0 }
}
