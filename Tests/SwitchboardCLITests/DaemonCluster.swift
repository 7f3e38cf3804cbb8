import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Several `switchboard serve` processes with the shipped configuration on one fresh PostgreSQL
/// database, as an operator runs them behind a load balancer; a test picks the daemon of each request.
struct DaemonCluster {
    let switchboard: SwitchboardProcess
    let daemons: [RunningSwitchboard]
    /// Each daemon's port, in the order of ``daemons``.
    let ports: [Int]

    /// Starts `count` daemons at once (they migrate the new database together), waits until each
    /// listens, calls `body`, and stops them and drops the database after.
    /// - Parameter edits: Lines of the shipped configuration to replace (each must be there once).
    static func with(_ count: Int, editing edits: [(line: String, with: String)] = [], _ body: (DaemonCluster) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { settings in
            let switchboard = try SwitchboardProcess()
            defer { switchboard.removeFolder() }
            try switchboard.storeInPostgres(url: url(settings))
            var config = try String(contentsOf: URL(fileURLWithPath: switchboard.configPath), encoding: .utf8)
            for edit in edits {
                try #require(config.components(separatedBy: edit.line).count == 2, "the shipped config.yaml has no single \(edit.line)")
                config = config.replacingOccurrences(of: edit.line, with: edit.with)
            }
            try switchboard.write(config, to: "config.yaml")
            let daemons = try (0..<count).map { _ in try switchboard.start(["serve"]) }
            defer { daemons.forEach { $0.forceStop() } }
            var ports: [Int] = []
            for daemon in daemons {
                let listening = await eventually(within: .seconds(60)) { daemon.standardError.text.contains("switchboard is listening") }
                try #require(listening, "stderr: \(daemon.standardError.text)")
                ports.append(try #require(CommandLineTests.listeningPort(in: daemon.standardError.text)))
            }
            try await body(DaemonCluster(switchboard: switchboard, daemons: daemons, ports: ports))
        }
    }

    /// What the daemons logged at error level, for an expectation's message.
    var errors: [String] {
        daemons.flatMap { $0.standardError.text.split(separator: "\n").filter { $0.contains(" error ") }.map(String.init) }
    }

    /// The database URL as the configuration gives it.
    private static func url(_ settings: PostgresSettings) -> String {
        let password = settings.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""
        return "postgres://\(settings.username)\(password)@\(settings.host):\(settings.port)/\(settings.database)?sslmode=disable"
    }

    /// An answer: its status and its JSON object body (empty when the body is not one).
    struct Answer: Sendable {
        var status: Int
        var data: Data
        var retryAfter: String?

        var body: [String: Any] { ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:] }

        func text(_ key: String) -> String? { body[key] as? String }
    }

    /// Sends `method path` to daemon number `daemon` with a JSON body or a form, and a bearer token
    /// or another `Authorization`.
    func request(
        _ daemon: Int, _ method: String, _ path: String, json: [String: any Sendable]? = nil, form: String? = nil, bearer: String? = nil,
        authorization: String? = nil
    ) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(ports[daemon])\(path)")))
        request.httpMethod = method
        request.timeoutInterval = 30
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        } else if let form {
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(form.utf8)
        }
        if let authorization = bearer.map({ "Bearer \($0)" }) ?? authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return Answer(status: http.statusCode, data: data, retryAfter: http.value(forHTTPHeaderField: "Retry-After"))
    }

    /// A client token of the shipped `demo` app, from daemon `daemon`.
    func clientToken(from daemon: Int) async throws -> String {
        let answer = try await request(
            daemon, "POST", "/oidc/token",
            form: "grant_type=client_credentials&client_id=demo-backend&client_secret=demo_client_secret_for_local_use"
        )
        try #require(answer.status == 200, "token: \(answer.body)")
        return try #require(answer.text("access_token"))
    }

    /// Logs `phone` in on daemon `daemon` with `code`.
    func authenticate(_ daemon: Int, phone: String, code: String, token: String) async throws -> Answer {
        try await request(
            daemon, "POST", "/cis/v1/auth/otp/authenticate", json: ["passcode": code, "identifier_type": "phone_number", "identifier": phone],
            bearer: token
        )
    }

    /// Creates the user with `phone` on daemon 0, sends it a code from daemon 1, and reads the code
    /// from the shared inbox on daemon 2 (`0`, `1`, `2` modulo the number of daemons).
    func userWithCode(phone: String, token: String) async throws -> String {
        let created = try await request(0, "POST", "/cis/v1/users", json: ["phone_number": phone], bearer: token)
        try #require(created.status == 201, "create user: \(created.body)")
        let sent = try await request(
            1 % ports.count, "POST", "/cis/v1/auth/otp/send",
            json: ["channel": "sms", "identifier_type": "phone_number", "identifier": phone], bearer: token
        )
        try #require(sent.status == 200, "send: \(sent.body)")
        let encoded = try #require(phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let inbox = try await request(2 % ports.count, "GET", "/v1/inbox?to=\(encoded)", bearer: "sb_local_development_key")
        let messages = try #require(inbox.body["messages"] as? [Any], "inbox: \(inbox.body)")
        let text = try #require((messages.last as? [String: Any])?["text"] as? String)
        return String(text.prefix(6))
    }
}
