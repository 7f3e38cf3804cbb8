import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `server.threads`: the daemon serves, calls its providers and its database, and runs every task
/// on that many event loops, and does all of its work there, down to a clean stop.
@Suite("server.threads", .timeLimit(.minutes(3)))
struct DaemonThreadsTests {
    static let phone = "+447700900555"
    static let threadsLine = (line: "  listen: 127.0.0.1:0", with: "  listen: 127.0.0.1:0\n  threads: 1")

    static func config(folder: URL, provider: FakeTwilio, threads: Int) -> String {
        """
        server:
          listen: 127.0.0.1:0
          threads: \(threads)
          api_keys: [{ name: local, key: sb_local_development_key }]
        storage:
          sqlite: \(folder.path)/data/switchboard.sqlite
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
            clients: [{ id: demo-backend, secret: demo_client_secret_for_local_use }]
        providers:
          fake: { type: twilio, account_sid: \(provider.accountSID), auth_token: \(provider.authToken), base_url: \(provider.server.baseURL) }
          inbox: { type: default }
        routes:
          - { name: codes, match: { kinds: [otp] }, sender: "+14155550100", providers: [inbox] }
          - { name: all, sender: "+14155550100", providers: [fake] }
        # What this suite checks is where the work runs, not how fast: a daemon of one event loop,
        # starved of CPU while the rest of the suite runs beside it, still gets its answers.
        delivery: { deadline: 60s, attempt_timeout: 30s }
        """
    }

    /// The names of the process's event loops (NIO names each thread `NIO-SGLTN-GROUP-#N`).
    /// Distinct names, not threads: a thread started from an event loop (such as one of Swift's
    /// pool) carries that loop's name until it takes one of its own.
    static func eventLoops(of daemon: RunningSwitchboard) throws -> Set<String> {
        let tasks = "/proc/\(daemon.processIdentifier)/task"
        return Set(
            try FileManager.default.contentsOfDirectory(atPath: tasks).compactMap { task in
                // A thread that ended since the listing has no name to read.
                let name = try? String(contentsOfFile: "\(tasks)/\(task)/comm", encoding: .utf8)
                return name.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.hasPrefix("NIO-SGLTN") ? $0 : nil }
            }
        )
    }

    @Test("SQLite: 60 sends at once through a provider and a login, on as many event loops as set, then a clean stop", arguments: [1, 3])
    func sendsAndALoginRunOnTheEventLoopsSet(threads: Int) async throws {
        let provider = try await FakeTwilio()
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        try switchboard.write(Self.config(folder: switchboard.folder, provider: provider, threads: threads), to: "config.yaml")
        let (daemon, client) = try await AsyncCrashTests.serve(switchboard)
        defer { daemon.forceStop() }

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<60 {
                group.addTask {
                    let answer = try await client.request(
                        0, "POST", "/v1/messages", json: ["to": "+4477009\(String(format: "%05d", index))", "app": "demo", "text": "parcel \(index)"],
                        bearer: "sb_local_development_key"
                    )
                    return answer.status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count { $0 == 201 } == 60, "statuses: \(statuses.sorted()); stderr: \(daemon.standardError.text)")
        #expect(provider.requests.count == 60)
        #expect(provider.violations.recorded.isEmpty, "\(provider.violations.recorded)")

        let token = try await client.clientToken(from: 0)
        let code = try await client.userWithCode(phone: Self.phone, token: token)
        let login = try await client.authenticate(0, phone: Self.phone, code: code, token: token)
        #expect(login.status == 200 && login.text("refresh_token") != nil, "login: \(login.status) \(login.body)")

        let loops = try Self.eventLoops(of: daemon)
        #expect(loops.count == threads, "event loops: \(loops.sorted())")
        daemon.signal(SIGTERM)
        #expect(await daemon.exitStatus(within: .seconds(30)) == 0, "stderr: \(daemon.standardError.text)")
        await provider.server.shutdown()
    }

    @Test("PostgreSQL: two daemons of one event loop each share a login: user on one, code sent from the other, accepted on the first")
    func twoDaemonsOfOneThreadEachShareALogin() async throws {
        try await DaemonCluster.with(2, editing: [Self.threadsLine]) { cluster in
            let token = try await cluster.clientToken(from: 0)
            let code = try await cluster.userWithCode(phone: Self.phone, token: token)
            let login = try await cluster.authenticate(0, phone: Self.phone, code: code, token: token)
            #expect(login.status == 200 && login.text("refresh_token") != nil, "login: \(login.status) \(login.body); errors: \(cluster.errors)")
            for daemon in cluster.daemons {
                #expect(try Self.eventLoops(of: daemon).count == 1)
            }
        }
    }
}
