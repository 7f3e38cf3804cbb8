import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `storage.sqlite.durability` from the command line: a send answered `201` survives `kill -9` of
/// the daemon with either choice (`process_crash` gives up only what a power cut could take), and
/// `check` names the weaker choice.
@Suite("SQLite durability", .timeLimit(.minutes(3)))
struct SQLiteDurabilityTests {
    static func config(folder: URL, provider: FakeHTTPServer, durability: String) -> String {
        """
        server:
          listen: 127.0.0.1:0
          api_keys: [{ name: local, key: sb_local_development_key }]
        storage:
          sqlite: { path: \(folder.path)/data/switchboard.sqlite, durability: \(durability) }
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code" }
        providers:
          fake: { type: twilio, account_sid: ACcrash, auth_token: crash-token, base_url: \(provider.baseURL) }
        routes:
          - { name: all, sender: "+14155550100", providers: [fake] }
        """
    }

    @Test("kill -9 with sends in flight: after a restart every send answered 201 is in the log as accepted", arguments: ["power_loss", "process_crash"])
    func answeredSendsOutliveKill(durability: String) async throws {
        let provider = try await FakeHTTPServer { request in
            let to = request.formField("To") ?? ""
            return .json(201, #"{"sid": "SMkill\#(to.filter(\.isNumber))", "status": "queued", "num_segments": "1", "error_code": null}"#)
        }
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        try switchboard.write(Self.config(folder: switchboard.folder, provider: provider, durability: durability), to: "config.yaml")

        let (first, client) = try await AsyncCrashTests.serve(switchboard)
        defer { first.forceStop() }
        let answers = try await withThrowingTaskGroup(of: DaemonCluster.Answer?.self) { group in
            for index in 0..<120 {
                group.addTask {
                    try? await client.request(
                        0, "POST", "/v1/messages", json: ["to": "+4477009\(String(format: "%05d", index))", "app": "demo", "text": "load \(index)"],
                        bearer: "sb_local_development_key"
                    )
                }
            }
            var answers: [DaemonCluster.Answer?] = []
            // Killed once a third is answered, with the rest on their way.
            while answers.count < 40, let next = try await group.next() { answers.append(next) }
            first.signal(SIGKILL)
            for try await next in group { answers.append(next) }
            return answers
        }
        try #require(await first.exitStatus(within: .seconds(20)) != nil, "the daemon still runs after SIGKILL")
        let answered = answers.compactMap { $0.flatMap { $0.status == 201 ? $0.text("id") : nil } }
        #expect(answered.count >= 40, "answered: \(answered.count)")

        let (second, restarted) = try await AsyncCrashTests.serve(switchboard)
        defer { second.forceStop() }
        var missing: [String] = []
        for id in answered {
            let logged = try await restarted.request(0, "GET", "/v1/messages/\(id)", bearer: "sb_local_development_key")
            if logged.status != 200 || logged.text("status") != "accepted" { missing.append("\(id): \(logged.status) \(logged.body)") }
        }
        #expect(missing.isEmpty, "answered 201 but not logged as accepted: \(missing)")
        second.signal(SIGTERM)
        #expect(await second.exitStatus(within: .seconds(30)) == 0)
        await provider.shutdown()
    }

    @Test("check: names process_crash durability and what it gives up; says nothing of the default")
    func checkNamesTheWeakerDurability() async throws {
        let provider = try await FakeHTTPServer { _ in .json(201, "{}") }
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let path = switchboard.folder.path + "/data/switchboard.sqlite"
        for (durability, expected) in [
            ("process_crash", ["storage: sqlite:\(path) (durability process_crash): a commit survives kill -9 of the daemon, not a power cut"]),
            ("power_loss", []),
        ] {
            try switchboard.write(Self.config(folder: switchboard.folder, provider: provider, durability: durability), to: "config.yaml")
            let run = try await switchboard.run(["check"])
            #expect(run.status == 0, "stderr: \(run.standardError)")
            let lines = run.standardOutput.split(separator: "\n").map(String.init)
            #expect(Array(lines.dropFirst()) == expected, "stdout: \(run.standardOutput)")
        }
        await provider.shutdown()
    }
}
