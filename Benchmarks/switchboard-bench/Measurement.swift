/// Times an operation in batches and summarises the time per operation over the batches.
///
/// One clock reading per batch rather than per operation: the clock costs tens of nanoseconds,
/// as much as the operations measured here.
struct Measurement {
    /// Nanoseconds per operation, one value per batch, sorted.
    let nanosecondsPerOperation: [Double]

    /// - Parameters:
    ///   - batches: How many batches to time.
    ///   - batchSize: Operations per batch.
    ///   - operation: Runs operation number `i` (counting on across batches) and returns a value
    ///     derived from its result, which is folded into a checksum the optimizer cannot drop.
    init(batches: Int, batchSize: Int, _ operation: (Int) -> Int) {
        let clock = ContinuousClock()
        var samples: [Double] = []
        samples.reserveCapacity(batches)
        var iteration = 0
        for _ in 0..<batches {
            var checksum = 0
            let start = clock.now
            for _ in 0..<batchSize {
                checksum &+= operation(iteration)
                iteration &+= 1
            }
            let elapsed = clock.now - start
            blackHole(checksum)
            samples.append(elapsed.inNanoseconds / Double(batchSize))
        }
        nanosecondsPerOperation = samples.sorted()
    }

    var median: Double { percentile(50) }
    var p99: Double { percentile(99) }

    /// The nearest-rank percentile of the batch samples.
    func percentile(_ percent: Double) -> Double {
        guard !nanosecondsPerOperation.isEmpty else { return .nan }
        let rank = (percent / 100 * Double(nanosecondsPerOperation.count)).rounded(.up)
        return nanosecondsPerOperation[max(0, min(nanosecondsPerOperation.count - 1, Int(rank) - 1))]
    }
}

/// Takes a value the optimizer must assume is used, so the work that produced it is not removed.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {
    _ = value
}

extension Duration {
    var inNanoseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }
}
