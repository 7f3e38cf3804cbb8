import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Messages accepted with `"async": true` survive `kill -9` of the daemon: the built executable
/// with its SQLite file, a provider on loopback that holds what it receives until the test lets it
/// answer, and a restart on the same file.
@Suite("Asynchronous sends across kill -9", .timeLimit(.minutes(3)))
struct AsyncCrashTests {
    /// Two workers, one provider: the fake; deadlines long enough that the held sends are still
    /// in flight when the daemon is killed, even on a loaded machine where queueing the six takes
    /// seconds. The restarted daemon closes the two mid-send one deadline after its start.
    static func config(folder: URL, provider: FakeHTTPServer) -> String {
        """
        server:
          listen: 127.0.0.1:0
          api_keys: [{ name: local, key: sb_local_development_key }]
        storage:
          sqlite: \(folder.path)/data/switchboard.sqlite
        delivery:
          deadline: 30s
          attempt_timeout: 30s
          async: { workers: 2 }
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code" }
        providers:
          held: { type: twilio, account_sid: ACcrash, auth_token: crash-token, base_url: \(provider.baseURL) }
        routes:
          - { name: all, sender: "+14155550100", providers: [held] }
        """
    }

    /// Starts `serve` and returns it with a client of it once it listens.
    static func serve(_ switchboard: SwitchboardProcess) async throws -> (RunningSwitchboard, DaemonCluster) {
        let daemon = try switchboard.start(["serve"])
        let listening = await eventually(within: .seconds(60)) { daemon.standardError.text.contains("switchboard is listening") }
        try #require(listening, "stderr: \(daemon.standardError.text)")
        let port = try #require(CommandLineTests.listeningPort(in: daemon.standardError.text))
        return (daemon, DaemonCluster(switchboard: switchboard, daemons: [daemon], ports: [port]))
    }

    @Test("six messages queued, two of them mid-send at kill -9: after a restart the four never claimed are sent once each, the two mid-send are interrupted, none is sent twice")
    func queuedMessagesOutliveKill() async throws {
        let gate = Gate()
        let provider = try await FakeHTTPServer { request in
            await gate.wait()
            let to = request.formField("To") ?? ""
            return .json(201, #"{"sid": "SMcrash\#(to.filter(\.isNumber))", "status": "queued", "num_segments": "1", "error_code": null}"#)
        }
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        try switchboard.write(Self.config(folder: switchboard.folder, provider: provider), to: "config.yaml")

        let (first, client) = try await Self.serve(switchboard)
        defer { first.forceStop() }
        var ids: [String: String] = [:]
        for index in 1...6 {
            let text = "Parcel \(index) arrives today"
            let answer = try await client.request(
                0, "POST", "/v1/messages", json: ["to": "+44770090012\(index)", "app": "demo", "text": text, "async": true],
                bearer: "sb_local_development_key"
            )
            try #require(answer.status == 202, "message \(index): \(answer.status) \(answer.body)")
            #expect(answer.text("status") == "queued")
            // Through a constant: assigned to the dictionary directly, the requirement would take
            // the optional itself and never fail.
            let id = try #require(answer.text("id"))
            ids[text] = id
        }
        // Both workers' sends reach the provider, which holds them: the daemon dies mid-send.
        let held = await eventually(within: .seconds(30)) { provider.requests.count == 2 }
        try #require(held, "the provider received \(provider.requests.count) requests; stderr: \(first.standardError.text)")
        first.signal(SIGKILL)
        try #require(await first.exitStatus(within: .seconds(20)) != nil, "the daemon still runs after SIGKILL")
        let midSend = Set(provider.requests.compactMap { $0.formField("Body") })
        gate.open()

        // As the dead daemon left them: four never claimed, two claimed and mid-send.
        let queued = try await switchboard.run(["messages", "--status", "queued"])
        #expect(queued.status == 0, "stderr: \(queued.standardError)")
        #expect(queued.standardOutput.components(separatedBy: "  queued  demo transactional to ").count - 1 == 4, "stdout: \(queued.standardOutput)")
        let pending = try await switchboard.run(["messages", "--status", "pending"])
        #expect(pending.standardOutput.components(separatedBy: "  pending  demo transactional to ").count - 1 == 2, "stdout: \(pending.standardOutput)")

        let (second, restarted) = try await Self.serve(switchboard)
        defer { second.forceStop() }
        // The two mid-send are closed by the sweep a delivery deadline after the start.
        var final: [String: String] = [:]
        let end = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < end, !(final.count == ids.count && final.values.allSatisfy { $0 == "accepted" || $0 == "interrupted" }) {
            try await Task.sleep(for: .milliseconds(200))
            for (text, id) in ids {
                let logged = try? await restarted.request(0, "GET", "/v1/messages/\(id)", bearer: "sb_local_development_key")
                if let status = logged?.text("status") { final[text] = status }
            }
        }
        try #require(final.values.allSatisfy { $0 == "accepted" || $0 == "interrupted" } && final.count == ids.count,
            "statuses: \(final); stderr: \(second.standardError.text)")

        let received = provider.requests.compactMap { $0.formField("Body") }
        #expect(received.count == 6, "received: \(received)")
        #expect(Set(received) == Set(ids.keys), "received: \(received)")
        #expect(final.filter { $0.value == "interrupted" }.map(\.key).sorted() == midSend.sorted())
        #expect(final.filter { $0.value == "accepted" }.count == 4)
        second.signal(SIGTERM)
        #expect(await second.exitStatus(within: .seconds(30)) == 0)
        await provider.shutdown()
    }
}
