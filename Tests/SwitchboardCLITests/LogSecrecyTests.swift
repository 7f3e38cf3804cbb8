import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `switchboard serve` with `server.log_format: json` at debug level, through a whole OTP login:
/// every line of its log is one JSON object, and none holds a code, a secret, a token, a key or a
/// whole phone number.
@Suite("Log secrecy", .timeLimit(.minutes(2)))
struct LogSecrecyTests {
    static let phone = "+447700900123"

    @Test("a whole OTP flow at debug level logs JSON lines with request ids, numbers masked, and no secret")
    func otpFlowAtDebugLevel() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let shipped = try String(contentsOf: URL(fileURLWithPath: switchboard.configPath), encoding: .utf8)
        try #require(shipped.contains("server:\n"))
        try switchboard.write(shipped.replacingOccurrences(of: "server:\n", with: "server:\n  log_format: json\n"), to: "config.yaml")
        let server = try switchboard.start(["serve", "--log-level", "debug"])
        defer { server.forceStop() }
        let listening = await eventually(within: .seconds(60)) { server.standardError.text.contains("switchboard is listening") }
        try #require(listening, "stderr: \(server.standardError.text)")
        let port = try #require(Self.listeningPort(in: server.standardError.text), "stderr: \(server.standardError.text)")
        let daemon = DaemonCluster(switchboard: switchboard, daemons: [server], ports: [port])

        let clientToken = try await daemon.clientToken(from: 0)
        let code = try await daemon.userWithCode(phone: Self.phone, token: clientToken)
        let wrong = String(code.dropLast()) + (code.last == "0" ? "1" : "0")
        let refused = try await daemon.request(
            0,
            "POST",
            "/cis/v1/auth/otp/authenticate",
            json: ["passcode": wrong, "identifier_type": "phone_number", "identifier": Self.phone],
            bearer: clientToken
        )
        #expect(refused.status == 400)
        let login = try await daemon.request(
            0,
            "POST",
            "/cis/v1/auth/otp/authenticate",
            json: ["passcode": code, "identifier_type": "phone_number", "identifier": Self.phone],
            bearer: clientToken
        )
        try #require(login.status == 200, "authenticate: \(login.body)")
        let refreshToken = try #require(login.text("refresh_token"))
        let refreshed = try await daemon.request(0, "POST", "/cis/v1/auth/token/refresh", json: ["refresh_token": refreshToken], bearer: clientToken)
        try #require(refreshed.status == 200, "refresh: \(refreshed.body)")
        let sent = try await daemon.request(
            0,
            "POST",
            "/v1/messages",
            json: ["to": Self.phone, "app": "demo", "text": "Your parcel is at the depot"],
            bearer: "sb_local_development_key"
        )
        #expect(sent.status == 201)

        server.signal(SIGTERM)
        #expect(await server.exitStatus(within: .seconds(20)) == 0)
        _ = await server.bothOutputsEnded(within: .seconds(10))
        let log = server.standardError.text
        let lines = log.split(separator: "\n").map(String.init)

        var records: [[String: Any]] = []
        for line in lines {
            let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            #expect(record != nil, "not a JSON object: \(line)")
            if let record { records.append(record) }
        }
        #expect(records.allSatisfy { $0["time"] is String && $0["level"] is String && $0["message"] is String })
        #expect(records.contains { $0["level"] as? String == "debug" }, "no debug line: the level was not honoured")
        let otpSent = records.filter { $0["message"] as? String == "OTP sent" }
        #expect(otpSent.count == 1)
        #expect(otpSent.allSatisfy { ($0["request_id"] as? String)?.isEmpty == false && $0["sb.to"] as? String == "+44*******123" })

        let secrets = [
            "demo_client_secret_for_local_use", "sb_local_development_key", clientToken, refreshToken,
            try #require(login.text("access_token")), try #require(login.text("id_token")),
            try #require(refreshed.text("access_token")), try #require(refreshed.text("refresh_token")), "Your parcel is at the depot",
        ]
        for secret in secrets {
            #expect(!log.contains(secret), "the log holds a secret: \(secret.prefix(12))…")
        }
        // A code is a run of digits of its own; a longer run (a timestamp's) may hold its digits by chance.
        let digitRuns = Set(log.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).map(String.init))
        #expect(!digitRuns.contains(code), "the log holds the code")
        #expect(!digitRuns.contains(wrong), "the log holds a wrong code")
        #expect(!log.contains("7700900123"), "the log holds the whole phone number")
    }

    /// The port of the JSON "switchboard is listening" line's `sb.address` (`…:PORT`).
    static func listeningPort(in log: String) -> Int? {
        for line in log.split(separator: "\n") {
            guard let record = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                record["message"] as? String == "switchboard is listening", let address = record["sb.address"] as? String,
                let colon = address.lastIndex(of: ":")
            else { continue }
            return Int(address[address.index(after: colon)...])
        }
        return nil
    }
}
