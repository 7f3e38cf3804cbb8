import SwitchboardCore

/// How long the router takes to decide, with a configuration far larger than any real one.
enum RouteBenchmark {
    static let benchmark = Benchmark(
        name: "route",
        summary: "Router.decide with 1,000 rules and 10,000 prefixes (budget: median 2 µs)",
        run: run
    )

    static let budgetNanoseconds = 2_000.0

    static func run() {
        let workload = RouteWorkload(ruleCount: 1_000, prefixCount: 10_000, messageCount: 4_096, seed: 0x5EED)
        let clock = ContinuousClock()
        let buildStart = clock.now
        let router = Router(rules: workload.rules)
        let buildTime = clock.now - buildStart
        print("rules: \(router.rules.count), prefixes: \(workload.prefixCount), messages: \(workload.messages.count); router built in \(format(buildTime.inNanoseconds / 1e6)) ms")
        printOutcomes(router, workload)

        let messages = workload.messages
        // A power of two, so picking the next message is a mask rather than a division.
        let mask = messages.count - 1
        precondition(messages.count & mask == 0, "the message count must be a power of two")
        let decide = { (iteration: Int) -> Int in
            let message = messages[iteration & mask]
            return router.decide(message.number, app: message.app, kind: message.kind)?.ruleIndex ?? -1
        }
        _ = Measurement(batches: 300, batchSize: 1_000, decide)  // warm-up: caches, branch predictors, CPU clock
        let measured = Measurement(batches: 3_000, batchSize: 1_000, decide)
        let verdict = measured.median <= budgetNanoseconds ? "within" : "OVER"
        print("decide: median \(format(measured.median)) ns, p99 \(format(measured.p99)) ns per decision (3,000 batches of 1,000; \(verdict) the \(format(budgetNanoseconds)) ns budget)")
    }

    /// Where the messages end up, to show the mix is what it claims to be.
    private static func printOutcomes(_ router: Router, _ workload: RouteWorkload) {
        let last = router.rules.count - 1
        var early = 0, middle = 0, late = 0, catchAll = 0, none = 0
        for message in workload.messages {
            switch router.decide(message.number, app: message.app, kind: message.kind)?.ruleIndex {
            case nil: none += 1
            case last?: catchAll += 1
            case let index? where index < 100: early += 1
            case let index? where index >= last - 100: late += 1
            default: middle += 1
            }
        }
        print("matched: \(early) by rules 0-99, \(middle) by rules 100-\(last - 101), \(late) by rules \(last - 100)-\(last - 1), \(catchAll) by the catch-all only, \(none) by none")
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded >= 100 ? String(Int(rounded)) : String(rounded)
    }
}
