import Foundation
import NIOCore
import NIOPosix
import SwitchboardProviders

/// Complete OTP logins against a running daemon, as fast as `workers` concurrent clients go, for a
/// fixed time: a client token once, one user per number once, then per login `otp/send`, the code
/// from the fake provider (`GET /code?to=`), and `otp/authenticate`. Prints one JSON object.
/// `--base` may list several daemons (comma-separated) that share one database: each worker sends
/// its requests to them in turn, starting from its own, so a login's send and authenticate land on
/// different daemons, as behind a round-robin balancer, without a balancer's hop.
///
/// The workers run on one event loop thread, each on keep-alive connections of its own (one to
/// each daemon, one to the fake provider), as `wrk` drives the sends: the generator shares the
/// machine with the daemon it measures, and what it spends is taken from the daemon.
///
///     switchboard-bench logins --base http://127.0.0.1:18080 --provider http://127.0.0.1:18082 \
///         --client-id bench-backend --secret bench-client-secret-0123 --workers 64 --duration 15
enum LoginLoad {
    struct Failure: Error, CustomStringConvertible {
        var kind: String
        var description: String { kind }
    }

    struct Settings {
        var daemons: [TransportURL]
        var provider: TransportURL
        var clientID: String
        var secret: String
        var workers: Int
        var duration: TimeAmount
        var numbersPerWorker: Int
    }

    static func run(arguments: [String: String]) async throws {
        let bases = try (arguments["base"] ?? "http://127.0.0.1:18080").split(separator: ",").map { try TransportURL.plainHTTP(String($0), option: "--base") }
        guard !bases.isEmpty else { throw Failure(kind: "--base names no daemon") }
        guard let workers = Int(arguments["workers"] ?? "64"), workers > 0 else { throw Failure(kind: "--workers must be a positive whole number") }
        guard let duration = Double(arguments["duration"] ?? "15"), duration > 0 else { throw Failure(kind: "--duration must be positive seconds") }
        guard let numbersPerWorker = Int(arguments["numbers-per-worker"] ?? "4"), numbersPerWorker > 0 else {
            throw Failure(kind: "--numbers-per-worker must be a positive whole number")
        }
        let settings = Settings(
            daemons: bases, provider: try TransportURL.plainHTTP(arguments["provider"] ?? "http://127.0.0.1:18082", option: "--provider"),
            clientID: arguments["client-id"] ?? "bench-backend", secret: arguments["secret"] ?? "bench-client-secret-0123",
            workers: workers, duration: .nanoseconds(Int64(duration * 1e9)), numbersPerWorker: numbersPerWorker
        )
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let outcome = try await loop.flatSubmit { LoginDriver(settings: settings, loop: loop).run() }.get()
        let data = try JSONSerialization.data(withJSONObject: outcome.summary(workers: workers), options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// What the logins came to.
    struct Outcome: Sendable {
        var latenciesMs: [Double] = []
        var errors: [String: Int] = [:]
        var elapsed: TimeAmount = .zero

        func summary(workers: Int) -> [String: Any] {
            let sorted = latenciesMs.sorted()
            let seconds = Double(elapsed.nanoseconds) / 1e9
            return [
                "logins": sorted.count,
                "logins_per_s": Double(sorted.count) / seconds,
                "p50_ms": sorted.percentile(0.5) as Any,
                "p99_ms": sorted.percentile(0.99) as Any,
                "errors": errors.values.reduce(0, +),
                "error_kinds": errors,
                "workers": workers,
                "elapsed_s": seconds,
            ]
        }
    }
}
