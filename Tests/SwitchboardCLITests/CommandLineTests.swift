import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The README's "Command line" table, checked against the built executable: each test runs
/// `switchboard` as a process in its own folder and reads its exit status and output.
@Suite("switchboard as a user runs it", .timeLimit(.minutes(2)))
struct CommandLineTests {
    static let ukNumber = "+447700900123"

    @Test("check: the shipped configuration passes with a one-line summary and exit 0")
    func checkShippedConfiguration() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let run = try await switchboard.run(["check"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #expect(
            run.standardOutput
                == "\(switchboard.configPath): OK — 7 provider type definition(s), 1 app(s), 1 provider(s), 4 route(s), 1 template(s)\n"
        )
        #expect(run.standardError.isEmpty)
    }

    @Test("check: every problem of a broken configuration as FILE:LINE:COLUMN on stderr, exit 1")
    func checkBrokenConfiguration() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        // Two planted problems, far apart, so one run must report both: an unknown key (line 3,
        // column 3) and a country code that is not ISO 3166 (line 11, column 19).
        let broken = """
            server:
              listen: 127.0.0.1:0
              colour: blue
            storage:
              sqlite: \(switchboard.folder.path)/broken.sqlite
            apps:
              demo:
                name: Demo
                message: "{otp} is your {app} code"
                countries:
                  allow: [GB, UK]
            providers:
              default:
                type: default
            routes:
              - name: everyone
                providers: [default]

            """
        try switchboard.write(broken, to: "broken.yaml")
        let file = switchboard.folder.appendingPathComponent("broken.yaml").path
        let run = try await switchboard.run(["check"], config: file)
        #expect(run.status == 1)
        #expect(run.standardOutput.isEmpty)
        let problems = run.standardError.split(separator: "\n").map(String.init)
        #expect(problems.count == 2, "stderr: \(run.standardError)")
        #expect(problems.contains { $0.hasPrefix("\(file):3:3: unknown key 'colour'") }, "stderr: \(run.standardError)")
        #expect(problems.contains { $0.hasPrefix("\(file):11:19: ") && $0.contains("UK") && $0.contains("is not an ISO 3166 alpha-2 country code") }, "stderr: \(run.standardError)")
    }

    @Test("route: explains the match for a UK number: the rule skipped, route uk, sender DemoUK")
    func routeText() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let run = try await switchboard.run(["route", Self.ukNumber, "--app", "demo"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("input \"\(Self.ukNumber)\" parsed as \(Self.ukNumber): country GB, calling code +44, national number 7700900123") == true)
        #expect(lines.contains { $0.hasPrefix("  skipped 'north-america':") })
        #expect(lines.contains { $0.hasPrefix("  matched 'uk': sender DemoUK, providers default") }, "stdout: \(run.standardOutput)")
    }

    @Test("route --json: the same decision as JSON a program can read")
    func routeJSON() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let run = try await switchboard.run(["route", Self.ukNumber, "--app", "demo", "--json"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(report["input"] as? String == Self.ukNumber)
        #expect(report["calling_code"] as? Int == 44)
        #expect(report["national_number"] as? String == "7700900123")
        let explanation = try #require(report["explanation"] as? [String: Any])
        #expect(explanation["number"] as? String == Self.ukNumber)
        #expect(explanation["country"] as? String == "GB")
        #expect(explanation["app"] as? String == "demo")
        #expect(explanation["kind"] as? String == "transactional")
        let skipped = try #require(explanation["skipped"] as? [[String: Any]])
        #expect(skipped.map { $0["name"] as? String } == ["north-america"])
        let matched = try #require(explanation["matched"] as? [String: Any])
        #expect(matched["name"] as? String == "uk")
        #expect(matched["rule_index"] as? Int == 1)
        #expect(matched["sender"] as? String == "DemoUK")
        #expect(matched["providers"] as? [String] == ["default"])
    }

    @Test("route: a number that cannot be parsed is refused with exit 1 and names the input")
    func routeInvalidNumber() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let run = try await switchboard.run(["route", "+44 12", "--app", "demo"])
        #expect(run.status == 1)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.hasPrefix("\"+44 12\" is not a valid destination: "), "stderr: \(run.standardError)")
    }

    @Test("send, then inbox --to --last 1 prints the message, and messages --last 1 logs it accepted")
    func sendThenInboxAndMessages() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let sent = try await switchboard.run(["send", Self.ukNumber, "--app", "demo", "--text", "Hello"])
        #expect(sent.status == 0, "stderr: \(sent.standardError)")
        #expect(sent.standardOutput.hasPrefix("msg_"), "stdout: \(sent.standardOutput)")
        #expect(sent.standardOutput.contains(" accepted by default via route uk (GB), GSM-7, 1 segment(s)"), "stdout: \(sent.standardOutput)")
        let messageID = try #require(sent.standardOutput.split(separator: " ").first.map(String.init))

        let inbox = try await switchboard.run(["inbox", "--to", Self.ukNumber, "--last", "1"])
        #expect(inbox.status == 0, "stderr: \(inbox.standardError)")
        let inboxLines = inbox.standardOutput.split(separator: "\n").map(String.init)
        #expect(inboxLines.count == 2, "stdout: \(inbox.standardOutput)")
        #expect(inboxLines.first?.contains("from DemoUK to \(Self.ukNumber)") == true)
        #expect(inboxLines.first?.hasSuffix(messageID) == true)
        #expect(inboxLines.last == "    Hello")

        let otherNumber = try await switchboard.run(["inbox", "--to", "+447700900999"])
        #expect(otherNumber.status == 0)
        #expect(otherNumber.standardOutput == "The inbox is empty for +447700900999.\n")

        let log = try await switchboard.run(["messages", "--last", "1"])
        #expect(log.status == 0, "stderr: \(log.standardError)")
        let logLines = log.standardOutput.split(separator: "\n").map(String.init)
        #expect(logLines.first?.hasPrefix("\(messageID)  ") == true, "stdout: \(log.standardOutput)")
        #expect(logLines.first?.contains("  accepted  demo transactional to \(Self.ukNumber) (GB)  route uk, sender DemoUK") == true)
        #expect(logLines.contains { $0.hasPrefix("  1. default accepted") }, "stdout: \(log.standardOutput)")
        #expect(logLines.last == "    Hello")
    }

    @Test("messages --status: only messages in that status, and a clear line when there are none")
    func messagesByStatus() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let sent = try await switchboard.run(["send", Self.ukNumber, "--app", "demo", "--text", "Hello"])
        #expect(sent.status == 0, "stderr: \(sent.standardError)")

        let accepted = try await switchboard.run(["messages", "--status", "accepted"])
        #expect(accepted.status == 0)
        #expect(accepted.standardOutput.contains("  accepted  demo transactional to \(Self.ukNumber)"), "stdout: \(accepted.standardOutput)")

        let interrupted = try await switchboard.run(["messages", "--status", "interrupted"])
        #expect(interrupted.status == 0)
        #expect(interrupted.standardOutput == "No messages interrupted.\n")

        let unknownStatus = try await switchboard.run(["messages", "--status", "lost"])
        #expect(unknownStatus.status != 0)
        #expect(unknownStatus.standardError.contains("lost"), "stderr: \(unknownStatus.standardError)")
    }

    @Test("inbox --follow prints a message sent while it watches, and stops on SIGINT")
    func inboxFollow() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        // A first send creates the database, so the watcher and the sender never race to create it;
        // it goes to another number, which the watcher's --to must leave out.
        let earlier = try await switchboard.run(["send", "+447700900456", "--app", "demo", "--text", "Not for the watcher"])
        #expect(earlier.status == 0, "stderr: \(earlier.standardError)")

        let watcher = try switchboard.start(["inbox", "--follow", "--to", Self.ukNumber])
        defer { watcher.forceStop() }
        let sent = try await switchboard.run(["send", Self.ukNumber, "--app", "demo", "--text", "Watched message"])
        #expect(sent.status == 0, "stderr: \(sent.standardError)")

        let printed = await eventually(within: .seconds(20)) { watcher.standardOutput.text.contains("    Watched message") }
        #expect(printed, "stdout: \(watcher.standardOutput.text); stderr: \(watcher.standardError.text)")
        #expect(watcher.standardOutput.text.contains("from DemoUK to \(Self.ukNumber)"))
        #expect(!watcher.standardOutput.text.contains("Not for the watcher"))

        watcher.signal(SIGINT)
        let status = await watcher.exitStatus(within: .seconds(10))
        #expect(status != nil, "inbox --follow still runs 10 s after SIGINT")
    }

    @Test("serve: listens, warns that the default provider delivers nothing, answers /healthz, exits 0 on SIGTERM")
    func serve() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let server = try switchboard.start(["serve"])
        defer { server.forceStop() }

        let listening = await eventually(within: .seconds(30)) { server.standardError.text.contains("switchboard is listening") }
        try #require(listening, "stderr: \(server.standardError.text)")
        let port = try #require(Self.listeningPort(in: server.standardError.text), "stderr: \(server.standardError.text)")
        let noticeShown = await eventually(within: .seconds(5)) {
            server.standardError.text.contains("the built-in default provider is for evaluation: it delivers no real SMS")
        }
        #expect(noticeShown, "stderr: \(server.standardError.text)")

        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/healthz")))
        request.timeoutInterval = 10
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("\"ok\""))

        server.signal(SIGTERM)
        let status = await server.exitStatus(within: .seconds(20))
        #expect(status == 0, "stderr: \(server.standardError.text)")
        #expect(!server.endedBySignal)
    }

    /// The port from the "switchboard is listening" line, whose `sb.address` ends in `:PORT`; the
    /// configuration asks for port 0, so only the server knows which one it got.
    static func listeningPort(in log: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("switchboard is listening") }),
            let address = line.range(of: "sb.address=")
        else { return nil }
        let rest = line[address.upperBound...].prefix { !$0.isWhitespace }
        guard let colon = rest.lastIndex(of: ":") else { return nil }
        return Int(rest[rest.index(after: colon)...].prefix { $0.isNumber })
    }
}
