import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A request that fails for a reason of the server's own (here a store that has been closed) is a
/// 500 `internal_error` that says nothing of the cause, while the cause goes to the log at `error`.
@Suite("Gateway API internal errors", .timeLimit(.minutes(3)))
struct InternalErrorTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code." }
        providers:
          default: { type: default }
        routes:
          - { name: everyone, sender: "+14155550100", providers: [default] }
        """

    @Test("reads from a closed store are 500 internal_error without the cause; the log names it", arguments: [
        "/v1/messages/msg_any", "/v1/inbox",
    ])
    func closedStore(uri: String) async throws {
        let config = try ConfigParser.parse(yaml: Self.yaml, file: "test.yaml", environment: [:])
        let store = try await SQLiteStore.open(path: ":memory:", logger: Logger(label: "test"))
        try await store.migrate()
        let logs = LogRecords()
        let app = buildApplication(ServerDependencies(config: config, messages: store, inbox: store), logger: logs.logger(label: "test"))
        try await app.test(.router) { client in
            try await store.close()
            let response = try await client.execute(uri: uri, method: .get, headers: Self.auth)
            let detail = try errorAnswer(response, .internalServerError, code: "internal_error")
            #expect(message(of: detail) == "the server could not complete the request; see its log")
            #expect(response.headers[HTTPField.Name("X-Request-ID")!]?.isEmpty == false)
        }
        let failure = try #require(logs.all.first { $0.message == "request failed" })
        #expect(failure.level == .error)
        #expect(failure.metadata["sb.error"]?.hasSuffix("SQLiteStoreError") == true, "\(failure.line)")
        #expect(failure.metadata["sb.error.detail"] == "the store is closed")
    }
}
