import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// A daemon on PostgreSQL whose server goes away and comes back (a restart, a failover, the network
/// to it down): the built executable, a provider on loopback, and a proxy in front of the tests'
/// cluster that the test cuts and restores.
@Suite("A daemon whose PostgreSQL goes away and comes back", .timeLimit(.minutes(3)))
struct PostgresOutageDaemonTests {
    static let twilioAccount = "AC0123456789abcdef0123456789abcdef"
    static let adminToken = "outage-admin-token-0123"

    static func config(database url: String, provider: FakeHTTPServer) -> String {
        """
        server:
          listen: 127.0.0.1:0
          api_keys: [{ name: local, key: sb_local_development_key }]
        admin:
          tokens: [\(adminToken)]
        storage:
          postgres: { url: "\(url)", pool: 4 }
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
            clients: [{ id: demo-backend, secret: outage-client-secret }]
            twilio_api: { account_sid: \(twilioAccount), auth_token: outage-auth-token-0123 }
        providers:
          sms: { type: twilio, account_sid: ACoutage, auth_token: outage-token, base_url: \(provider.baseURL) }
        routes:
          - { name: all, sender: "+14155550100", providers: [sms] }
        """
    }

    @Test(
        "sends answer 503 storage_unavailable with Retry-After in seconds, no provider is called for them, and the daemon serves again once the server is back, without a restart",
        arguments: DatabaseOutage.allCases
    )
    func sendsAreRefusedWhileTheDatabaseIsAwayAndServedOnceItIsBack(outage: DatabaseOutage) async throws {
        try await Self.withDaemonBehindProxy { daemon, client, proxy, settings, provider, send in

            let before = try await send("before the outage")
            try #require(before.status == 201, "\(before.status) \(before.body)")
            let ready = try await client.request(0, "GET", "/readyz")
            #expect(ready.status == 200 && ready.text("status") == "ready", "\(ready.status) \(ready.body)")
            let token = try await client.request(0, "POST", "/oidc/token", form: "grant_type=client_credentials&client_id=demo-backend&client_secret=outage-client-secret")
            let clientToken = try #require(token.text("access_token"), "\(token.status) \(token.body)")
            try await outage.begin(proxy, settings)

            let clock = ContinuousClock()
            let cut = clock.now
            let first = try await send("as the database goes")
            #expect(first.status == 503, "\(first.status) \(first.body)")
            #expect(cut.duration(to: clock.now) < .seconds(15), "the first send after the cut was answered after \(cut.duration(to: clock.now))")
            // Once the daemon knows, a send is refused before any provider is called, at once.
            try await requireEventually(within: .seconds(10)) {
                let called = provider.requests.count
                let started = clock.now
                let answer = try await send("while the database is away")
                return answer.status == 503 && started.duration(to: clock.now) < .seconds(1) && provider.requests.count == called
            }
            let called = provider.requests.count
            for index in 1...3 {
                let refused = try await send("refused \(index)")
                #expect(refused.status == 503)
                let error = refused.body["error"] as? [String: Any]
                #expect(error?["code"] as? String == "storage_unavailable", "\(refused.body)")
                #expect(refused.retryAfter.flatMap(Int.init).map { $0 > 0 } == true, "Retry-After: \(refused.retryAfter ?? "none")")
            }
            // A balancer's health check takes the daemon out; the liveness check does not restart it.
            let unready = try await client.request(0, "GET", "/readyz")
            #expect(unready.status == 503 && unready.text("status") == "unavailable" && unready.retryAfter != nil, "\(unready.status) \(unready.body)")
            #expect(try await client.request(0, "GET", "/healthz").status == 200)
            let during = try await Self.metrics(client)
            #expect(during.value("switchboard_store_reachable", [:]) == 0 && during.value("switchboard_store_outages_total", [:]) == 1)
            // Each API answers in its own shape: Mosaic's, and Twilio's for its SDKs.
            let otp = try await client.request(
                0, "POST", "/cis/v1/auth/otp/send", json: ["channel": "sms", "identifier_type": "phone_number", "identifier": "+447700900123"],
                bearer: clientToken
            )
            #expect(otp.status == 503 && otp.text("error_code") == "storage_unavailable" && otp.retryAfter != nil, "\(otp.status) \(otp.body)")
            let basic = Data("\(Self.twilioAccount):outage-auth-token-0123".utf8).base64EncodedString()
            let twilio = try await client.request(
                0, "POST", "/2010-04-01/Accounts/\(Self.twilioAccount)/Messages.json", form: "To=%2B447700900123&From=%2B14155550100&Body=hello",
                authorization: "Basic \(basic)"
            )
            #expect(twilio.status == 503 && twilio.body["code"] as? Int == 20503 && twilio.retryAfter != nil, "\(twilio.status) \(twilio.body)")
            #expect(provider.requests.count == called, "a provider was called for a send the daemon could not record")

            try await outage.end(proxy, settings)
            let back = clock.now
            try await requireEventually(within: .seconds(15)) { try await send("after the outage").status == 201 }
            #expect(back.duration(to: clock.now) < .seconds(5), "the daemon served again after \(back.duration(to: clock.now))")
            #expect(try await client.request(0, "GET", "/readyz").status == 200)
            let after = try await Self.metrics(client)
            #expect(after.value("switchboard_store_reachable", [:]) == 1 && after.value("switchboard_store_outages_total", [:]) == 1)
            // Read when the pool started: the server runs on this machine, so the clocks agree.
            let clockOffset = try #require(after.value("switchboard_store_clock_offset_seconds", [:]), "\(after.text)")
            #expect(abs(clockOffset) < 5)
            // The PostgreSQL store's grouped saves are counted as the SQLite store's commits are.
            #expect((after.value("switchboard_store_commit_batch_size_count", [:]) ?? 0) > 0, "\(after.text)")
            let id = try #require(before.text("id"))
            let logged = try await client.request(0, "GET", "/v1/messages/\(id)", bearer: "sb_local_development_key")
            #expect(logged.status == 200 && logged.text("status") == "accepted", "\(logged.status) \(logged.body)")
            let log = daemon.standardError.text
            #expect(log.components(separatedBy: "PostgreSQL cannot be reached;").count == 2, "the outage's start, logged once:\n\(log)")
            #expect(log.contains("PostgreSQL can be reached again"))
            // Not a line for every refused request besides: the outage is in the log once.
            #expect(!log.contains("request refused"), "\(log)")
        }
    }

    @Test(
        "connections that lead nowhere while the server answers (a failover moved the address; the old server's processes gone without a word): sends on them answer in seconds, 503 when a save was stranded, and the daemon stays ready and sends on new connections"
    )
    func sendsOnStrandedConnectionsAreRefusedAndNewConnectionsServe() async throws {
        try await Self.withDaemonBehindProxy { daemon, client, proxy, settings, _, send in
            let before = try await send("before")
            try #require(before.status == 201, "\(before.status) \(before.body)")
            // The pool's connections open, so that they are stranded (the pool makes new ones
            // only for those it finds closed).
            try await requireEventually(within: .seconds(30)) { try await TestPostgres.clientProcesses(of: settings, named: "switchboard").count == 4 }

            proxy.strand()
            try await TestPostgres.endClientConnections(of: settings)
            let clock = ContinuousClock()
            // As many sends at once as the pool has connections: each statement is handed a
            // stranded one until the daemon has closed them, a save that waits holding its own.
            // Unwatched, those sends wait for as long as TCP retries.
            let answers = try await withThrowingTaskGroup(of: (DaemonCluster.Answer, Duration).self) { group in
                for index in 1...4 {
                    group.addTask {
                        let start = clock.now
                        let answer = try await send("on a stranded connection \(index)")
                        return (answer, start.duration(to: clock.now))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for (answer, took) in answers {
                let code = (answer.body["error"] as? [String: Any])?["code"] as? String
                #expect(answer.status == 201 || (answer.status == 503 && code == "storage_unavailable"), "\(answer.status) \(answer.body)")
                // Five seconds before the server is asked; the bound leaves room for a busy machine.
                #expect(took < .seconds(20), "answered after \(took)")
            }
            try await requireEventually(within: .seconds(30)) { try await send("after").status == 201 }
            #expect(try await client.request(0, "GET", "/readyz").status == 200)
            let metrics = try await Self.metrics(client)
            #expect((metrics.value("switchboard_store_stranded_connections_total", [:]) ?? 0) >= 1, "\(metrics.text)")
            #expect(metrics.value("switchboard_store_outages_total", [:]) == 0, "\(metrics.text)")
            let id = try #require(before.text("id"))
            #expect(try await client.request(0, "GET", "/v1/messages/\(id)", bearer: "sb_local_development_key").status == 200)
            let log = daemon.standardError.text
            #expect(log.contains("a connection to PostgreSQL leads nowhere"), "\(log)")
            // The provider is called while the pending record is saved, so a send refused for a
            // stranded save reached it: the log keeps the trace the store could not.
            if answers.contains(where: { $0.0.status == 503 }) {
                #expect(log.contains("a send's outcome could not be recorded"), "\(log)")
            }
            #expect(!log.contains("PostgreSQL cannot be reached"), "the server never was out of reach:\n\(log)")
        }
    }

    /// A daemon on a new database that it reaches through a proxy the test can cut, with a provider
    /// on loopback that takes every message, and a send of `text` to it.
    static func withDaemonBehindProxy(
        _ body: (
            RunningSwitchboard, DaemonCluster, SeverableProxy, PostgresSettings, FakeHTTPServer,
            @escaping @Sendable (String) async throws -> DaemonCluster.Answer
        ) async throws -> Void
    ) async throws {
        let provider = try await FakeHTTPServer { request in
            let to = request.formField("To") ?? ""
            return .json(201, #"{"sid": "SMoutage\#(to.filter(\.isNumber))", "status": "queued", "num_segments": "1", "error_code": null}"#)
        }
        try await TestPostgres.withDatabase { settings in
            let proxy = try await SeverableProxy(upstreamHost: settings.host, upstreamPort: settings.port)
            let url = "postgres://\(settings.username)@127.0.0.1:\(proxy.port)/\(settings.database)?sslmode=disable"
            let switchboard = try SwitchboardProcess()
            defer { switchboard.removeFolder() }
            try switchboard.write(Self.config(database: url, provider: provider), to: "config.yaml")
            let (daemon, client) = try await AsyncCrashTests.serve(switchboard)
            defer { daemon.forceStop() }
            try await body(daemon, client, proxy, settings, provider) { text in
                try await client.request(0, "POST", "/v1/messages", json: ["to": "+447700900123", "app": "demo", "text": text], bearer: "sb_local_development_key")
            }
        }
    }

    /// The daemon's metrics page.
    static func metrics(_ client: DaemonCluster) async throws -> PrometheusPage {
        let answer = try await client.request(0, "GET", "/metrics", bearer: adminToken)
        try #require(answer.status == 200, "metrics: \(answer.status)")
        return PrometheusPage(String(decoding: answer.data, as: UTF8.self))
    }
}
