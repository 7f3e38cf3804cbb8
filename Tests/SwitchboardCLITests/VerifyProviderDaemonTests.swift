import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Another Switchboard serves Mosaic's backend API, so it is a valid `mosaic` provider: daemon A
/// routes GB OTPs to `mosaic` pointed at daemon B, B sends its own code (into its inbox) and
/// checks it, and the login completes on A with A's tokens.
@Suite("verify providers across two daemons", .timeLimit(.minutes(3)))
struct VerifyProviderDaemonTests {
    static let phone = "+447700900123"
    static let clientID = "demo-backend"
    static let clientSecret = "demo_client_secret_for_local_use"

    /// The shipped configuration with a `mosaic` provider at `mosaicURL` and GB OTPs routed to it.
    static func withMosaic(_ shipped: String, mosaicURL: String, chain: String = "mosaic") throws -> String {
        let provider = """
              default:
                type: default
              mosaic:
                type: mosaic
                client_id: \(clientID)
                client_secret: \(clientSecret)
                base_url: \(mosaicURL)

            """
        let route = "routes:\n  - { name: logins, match: { countries: [GB, GG, JE, IM], kinds: [otp] }, sender: DemoUK, providers: [\(chain)] }\n"
        let defaultProvider = "  default:\n    type: default\n"
        guard shipped.contains(defaultProvider), shipped.contains("routes:\n") else { throw SwitchboardProcess.ShippedConfigChanged() }
        return shipped.replacingOccurrences(of: defaultProvider, with: provider).replacingOccurrences(of: "routes:\n", with: route)
    }

    static func started(_ switchboard: SwitchboardProcess) async throws -> (RunningSwitchboard, Int) {
        let daemon = try switchboard.start(["serve"])
        let listening = await eventually(within: .seconds(60)) { daemon.standardError.text.contains("switchboard is listening") }
        if !listening { daemon.forceStop() }
        try #require(listening, "stderr: \(daemon.standardError.text)")
        return (daemon, try #require(CommandLineTests.listeningPort(in: daemon.standardError.text)))
    }

    /// The `kid` in a JWT's header.
    static func keyID(of token: String) throws -> String {
        var header = String(try #require(token.split(separator: ".").first)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while header.count % 4 != 0 { header += "=" }
        let data = try #require(Data(base64Encoded: header))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["kid"] as? String)
    }

    static func keyIDs(_ cluster: DaemonCluster, _ daemon: Int) async throws -> Set<String> {
        let jwks = try await cluster.request(daemon, "GET", "/cis/oidc/jwks")
        let keys = try #require(jwks.body["keys"] as? [[String: Any]])
        return Set(keys.compactMap { $0["kid"] as? String })
    }

    @Test("A routes GB OTPs to mosaic pointed at B: the code is read from B's inbox and the login completes on A with A's tokens")
    func loginOnAThroughBAsMosaic() async throws {
        let b = try SwitchboardProcess()
        defer { b.removeFolder() }
        let (daemonB, portB) = try await Self.started(b)
        defer { daemonB.forceStop() }
        let a = try SwitchboardProcess()
        defer { a.removeFolder() }
        let shipped = try String(contentsOfFile: a.configPath, encoding: .utf8)
        try a.write(try Self.withMosaic(shipped, mosaicURL: "http://127.0.0.1:\(portB)"), to: "config.yaml")
        let (daemonA, portA) = try await Self.started(a)
        defer { daemonA.forceStop() }
        // Daemon 0 is A, daemon 1 is B.
        let cluster = DaemonCluster(switchboard: a, daemons: [daemonA, daemonB], ports: [portA, portB])

        let token = try await cluster.clientToken(from: 0)
        let created = try await cluster.request(0, "POST", "/cis/v1/users", json: ["phone_number": Self.phone], bearer: token)
        try #require(created.status == 201, "create user: \(created.body)")
        let sent = try await cluster.request(
            0, "POST", "/cis/v1/auth/otp/send", json: ["channel": "sms", "identifier_type": "phone_number", "identifier": Self.phone], bearer: token
        )
        try #require(sent.status == 200, "send: \(sent.body); A's log: \(daemonA.standardError.text)")

        let encoded = try #require(Self.phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let inboxB = try await cluster.request(1, "GET", "/v1/inbox?to=\(encoded)", bearer: "sb_local_development_key")
        let messagesB = try #require(inboxB.body["messages"] as? [[String: Any]], "B's inbox: \(inboxB.body)")
        try #require(messagesB.count == 1, "B's inbox: \(inboxB.body)")
        let text = try #require(messagesB[0]["text"] as? String)
        #expect(text.hasSuffix(" is your Demo code. It expires in 5 minutes. Don't share it."))
        #expect(messagesB[0]["from"] as? String == "DemoUK")
        let code = String(text.prefix(6))
        let inboxA = try await cluster.request(0, "GET", "/v1/inbox?to=\(encoded)", bearer: "sb_local_development_key")
        #expect((inboxA.body["messages"] as? [Any])?.isEmpty == true, "A delivered nothing itself: \(inboxA.body)")

        let wrong = try await cluster.authenticate(0, phone: Self.phone, code: code == "000000" ? "111111" : "000000", token: token)
        #expect(wrong.status == 400)
        #expect(wrong.text("error_code") == "auth_invalid_credentials")
        let login = try await cluster.authenticate(0, phone: Self.phone, code: code, token: token)
        try #require(login.status == 200, "authenticate: \(login.body)")
        let accessToken = try #require(login.text("access_token"))
        let keyID = try Self.keyID(of: accessToken)
        let keysOfA = try await Self.keyIDs(cluster, 0)
        let keysOfB = try await Self.keyIDs(cluster, 1)
        #expect(keysOfA.contains(keyID), "signed by A")
        #expect(!keysOfB.contains(keyID), "not by B")
    }

    @Test("check and route name the verify providers; a verify provider on a route that can carry transactional messages is an error at its line")
    func checkAndRouteUnderstandVerifyProviders() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let shipped = try String(contentsOfFile: switchboard.configPath, encoding: .utf8)
        try switchboard.write(try Self.withMosaic(shipped, mosaicURL: "https://api.eu.transmitsecurity.io"), to: "config.yaml")
        let checked = try await switchboard.run(["check"])
        #expect(checked.status == 0, "stderr: \(checked.standardError)")
        #expect(checked.standardOutput.contains("verify providers (they send and check their own code, for OTP logins only): mosaic\n"))
        let routed = try await switchboard.run(["route", Self.phone, "--app", "demo", "--kind", "otp"])
        #expect(routed.status == 0, "stderr: \(routed.standardError)")
        #expect(routed.standardOutput.contains("  verify providers: mosaic (they send and check their own code;"), "stdout: \(routed.standardOutput)")
        let json = try await switchboard.run(["route", Self.phone, "--app", "demo", "--kind", "otp", "--json"])
        #expect(json.status == 0, "stderr: \(json.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(report["verify_providers"] as? [String] == ["mosaic"])
        let transactional = try await switchboard.run(["route", Self.phone, "--app", "demo", "--json"])
        let other = try #require(try JSONSerialization.jsonObject(with: Data(transactional.standardOutput.utf8)) as? [String: Any])
        #expect(other["verify_providers"] as? [String] == [])

        let broken = try Self.withMosaic(shipped, mosaicURL: "https://api.eu.transmitsecurity.io")
            .replacingOccurrences(of: "match: { countries: [GB, GG, JE, IM], kinds: [otp] }", with: "match: { countries: [GB, GG, JE, IM] }")
        try switchboard.write(broken, to: "broken.yaml")
        let file = switchboard.folder.appendingPathComponent("broken.yaml").path
        let line = try #require(broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("name: logins") }) + 1
        let refused = try await switchboard.run(["check"], config: file)
        #expect(refused.status == 1)
        let problems = refused.standardError.split(separator: "\n").map(String.init)
        #expect(problems.count == 1, "stderr: \(refused.standardError)")
        #expect(
            problems.first?.hasPrefix("\(file):\(line):") == true && problems.first?.contains("provider 'mosaic' is a verify provider") == true
                && problems.first?.contains("add `kinds: [otp]`") == true,
            "stderr: \(refused.standardError)"
        )
    }

    @Test("Mosaic refusing connections at send: A makes the code and the next provider of the route delivers it")
    func mosaicDownAtSendMeansOurCode() async throws {
        try await withRefusingAddress { refusing in
            let a = try SwitchboardProcess()
            defer { a.removeFolder() }
            let shipped = try String(contentsOfFile: a.configPath, encoding: .utf8)
            try a.write(try Self.withMosaic(shipped, mosaicURL: refusing, chain: "mosaic, default"), to: "config.yaml")
            let (daemonA, portA) = try await Self.started(a)
            defer { daemonA.forceStop() }
            let cluster = DaemonCluster(switchboard: a, daemons: [daemonA], ports: [portA])
            let token = try await cluster.clientToken(from: 0)
            let created = try await cluster.request(0, "POST", "/cis/v1/users", json: ["phone_number": Self.phone], bearer: token)
            try #require(created.status == 201, "create user: \(created.body)")
            let sent = try await cluster.request(
                0, "POST", "/cis/v1/auth/otp/send", json: ["channel": "sms", "identifier_type": "phone_number", "identifier": Self.phone], bearer: token
            )
            try #require(sent.status == 200, "send: \(sent.body)")
            let encoded = try #require(Self.phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let inbox = try await cluster.request(0, "GET", "/v1/inbox?to=\(encoded)", bearer: "sb_local_development_key")
            let messages = try #require(inbox.body["messages"] as? [[String: Any]], "A's inbox: \(inbox.body)")
            try #require(messages.count == 1)
            let code = String(try #require(messages[0]["text"] as? String).prefix(6))
            let login = try await cluster.authenticate(0, phone: Self.phone, code: code, token: token)
            #expect(login.status == 200, "authenticate: \(login.body)")
        }
    }

    @Test("B gone at check time: A answers 503 otp_check_unavailable, not a wrong code")
    func mosaicGoneAtCheckIsRetryable() async throws {
        let b = try SwitchboardProcess()
        defer { b.removeFolder() }
        let (daemonB, portB) = try await Self.started(b)
        defer { daemonB.forceStop() }
        let a = try SwitchboardProcess()
        defer { a.removeFolder() }
        let shipped = try String(contentsOfFile: a.configPath, encoding: .utf8)
        try a.write(try Self.withMosaic(shipped, mosaicURL: "http://127.0.0.1:\(portB)"), to: "config.yaml")
        let (daemonA, portA) = try await Self.started(a)
        defer { daemonA.forceStop() }
        let cluster = DaemonCluster(switchboard: a, daemons: [daemonA, daemonB], ports: [portA, portB])
        let token = try await cluster.clientToken(from: 0)
        let created = try await cluster.request(0, "POST", "/cis/v1/users", json: ["phone_number": Self.phone], bearer: token)
        try #require(created.status == 201, "create user: \(created.body)")
        let sent = try await cluster.request(
            0, "POST", "/cis/v1/auth/otp/send", json: ["channel": "sms", "identifier_type": "phone_number", "identifier": Self.phone], bearer: token
        )
        try #require(sent.status == 200, "send: \(sent.body)")
        daemonB.forceStop()
        _ = await daemonB.exitStatus(within: .seconds(30))
        for _ in 0..<2 {
            let answer = try await cluster.authenticate(0, phone: Self.phone, code: "123456", token: token)
            #expect(answer.status == 503, "authenticate: \(answer.body)")
            #expect(answer.text("error_code") == "otp_check_unavailable")
        }
    }
}
