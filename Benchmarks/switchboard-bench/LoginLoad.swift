import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Complete OTP logins against a running daemon, as fast as `workers` concurrent clients go, for a
/// fixed time: a client token once, one user per number once, then per login `otp/send`, the code
/// from the fake provider (`GET /code?to=`), and `otp/authenticate`. Prints one JSON object.
/// `--base` may list several daemons (comma-separated) that share one database: each worker sends
/// its requests to them in turn, starting from its own, so a login's send and authenticate land on
/// different daemons, as behind a round-robin balancer, without a balancer's hop.
///
///     switchboard-bench logins --base http://127.0.0.1:18080 --provider http://127.0.0.1:18082 \
///         --client-id bench-backend --secret bench-client-secret-0123 --workers 64 --duration 15
enum LoginLoad {
    struct Failure: Error { var kind: String }

    static func run(arguments: [String: String]) async throws {
        let bases = (arguments["base"] ?? "http://127.0.0.1:18080").split(separator: ",").map(String.init)
        guard !bases.isEmpty else { throw Failure(kind: "--base names no daemon") }
        let provider = arguments["provider"] ?? "http://127.0.0.1:18082"
        let clientID = arguments["client-id"] ?? "bench-backend"
        let secret = arguments["secret"] ?? "bench-client-secret-0123"
        let workers = Int(arguments["workers"] ?? "") ?? 64
        let duration = Double(arguments["duration"] ?? "") ?? 15
        let numbersPerWorker = Int(arguments["numbers-per-worker"] ?? "") ?? 4

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: workers + 8)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await drive(client, bases: bases, provider: provider, clientID: clientID, secret: secret, workers: workers, duration: duration, numbersPerWorker: numbersPerWorker)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static func drive(
        _ client: HTTPClient, bases: [String], provider: String, clientID: String, secret: String, workers: Int, duration: Double,
        numbersPerWorker: Int
    ) async throws {
        let base = bases[0]
        let token = try await clientToken(client, base: base, clientID: clientID, secret: secret)
        let auth = "Bearer \(token)"
        // UK drama-range style mobiles, distinct per worker: +44 7700 9xxxxx.
        let numbers = (0..<(workers * numbersPerWorker)).map { "+4477009" + String(format: "%05d", $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slice in stride(from: 0, to: numbers.count, by: 32) {
                let batch = numbers[slice..<min(slice + 32, numbers.count)]
                for number in batch {
                    group.addTask {
                        let (status, _) = try await post(client, "\(base)/cis/v1/users", auth: auth, json: #"{"phone_number":"\#(number)"}"#)
                        guard status == 201 || status == 409 else { throw Failure(kind: "create user: \(status)") }
                    }
                }
                try await group.waitForAll()
            }
        }

        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int(duration * 1000))
        let results = await withTaskGroup(of: WorkerResult.self) { group in
            for worker in 0..<workers {
                let mine = Array(numbers[(worker * numbersPerWorker)..<((worker + 1) * numbersPerWorker)])
                group.addTask {
                    await login(client, bases: bases, first: worker, provider: provider, auth: auth, numbers: mine, until: end, clock: clock)
                }
            }
            var all: [WorkerResult] = []
            for await result in group { all.append(result) }
            return all
        }
        let elapsed = (clock.now - start).seconds
        var latencies = results.flatMap(\.latenciesMs)
        latencies.sort()
        var errors: [String: Int] = [:]
        for result in results { errors.merge(result.errors, uniquingKeysWith: +) }
        let summary: [String: Any] = [
            "logins": latencies.count,
            "logins_per_s": Double(latencies.count) / elapsed,
            "p50_ms": latencies.percentile(0.5) as Any,
            "p99_ms": latencies.percentile(0.99) as Any,
            "errors": errors.values.reduce(0, +),
            "error_kinds": errors,
            "workers": workers,
            "elapsed_s": elapsed,
        ]
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    struct WorkerResult: Sendable {
        var latenciesMs: [Double] = []
        var errors: [String: Int] = [:]
    }

    static func login(
        _ client: HTTPClient, bases: [String], first: Int, provider: String, auth: String, numbers: [String],
        until end: ContinuousClock.Instant, clock: ContinuousClock
    ) async -> WorkerResult {
        var result = WorkerResult()
        var index = 0
        var turn = first
        func nextBase() -> String {
            defer { turn += 1 }
            return bases[turn % bases.count]
        }
        while clock.now < end {
            let number = numbers[index % numbers.count]
            index += 1
            let started = clock.now
            do {
                let (sent, _) = try await post(
                    client, "\(nextBase())/cis/v1/auth/otp/send", auth: auth,
                    json: #"{"channel":"sms","identifier":"\#(number)","identifier_type":"phone_number"}"#
                )
                guard sent == 200 else { throw Failure(kind: "send \(sent)") }
                let encoded = number.replacingOccurrences(of: "+", with: "%2B")
                let (found, code) = try await get(client, "\(provider)/code?to=\(encoded)")
                guard found == 200 else { throw Failure(kind: "code \(found)") }
                let (authenticated, _) = try await post(
                    client, "\(nextBase())/cis/v1/auth/otp/authenticate", auth: auth,
                    json: #"{"passcode":"\#(code)","identifier":"\#(number)","identifier_type":"phone_number"}"#
                )
                guard authenticated == 200 else { throw Failure(kind: "authenticate \(authenticated)") }
                result.latenciesMs.append((clock.now - started).seconds * 1000)
            } catch let failure as Failure {
                result.errors[failure.kind, default: 0] += 1
            } catch {
                result.errors["transport: \(type(of: error))", default: 0] += 1
            }
        }
        return result
    }

    static func clientToken(_ client: HTTPClient, base: String, clientID: String, secret: String) async throws -> String {
        var request = HTTPClientRequest(url: "\(base)/oidc/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(secret)"))
        let (status, body) = try await send(client, request)
        guard status == 200,
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let token = object["access_token"] as? String
        else { throw Failure(kind: "client token: \(status) \(body)") }
        return token
    }

    static func post(_ client: HTTPClient, _ url: String, auth: String, json: String) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: auth)
        request.body = .bytes(ByteBuffer(string: json))
        return try await send(client, request)
    }

    static func get(_ client: HTTPClient, _ url: String) async throws -> (Int, String) {
        try await send(client, HTTPClientRequest(url: url))
    }

    static func send(_ client: HTTPClient, _ request: HTTPClientRequest) async throws -> (Int, String) {
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
