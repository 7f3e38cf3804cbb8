import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

/// `providers.NAME.http2`: read from `config.yaml` with its default and its errors, and carried to
/// the wire, where a provider with it turned off keeps to HTTP/1.1 beside one that speaks HTTP/2
/// to the same host.
@Suite("providers.NAME.http2", .serialized, .timeLimit(.minutes(3)))
struct ProviderHTTP2SettingTests {
    static func yaml(_ extra: String, type: String = "twilio") -> String {
        """
        providers:
          p: { type: \(type), account_sid: AC1, auth_token: secret\(extra) }
        routes:
          - { name: all, providers: [p] }
        """
    }

    func problems(_ yaml: String) throws -> [String] {
        let catalog = try shippedCatalog()
        do {
            _ = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
            return []
        } catch {
            return error.problems.map { "\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test("on unless it is turned off")
    func readWithItsDefault() throws {
        let catalog = try shippedCatalog()
        let on = try ConfigParser.parse(yaml: Self.yaml(""), file: "test.yaml", environment: [:], providerTypes: catalog)
        let off = try ConfigParser.parse(yaml: Self.yaml(", http2: false"), file: "test.yaml", environment: [:], providerTypes: catalog)
        #expect(on.providers.map(\.http2) == [true])
        #expect(off.providers.map(\.http2) == [false])
    }

    @Test("a value other than true or false is reported at its place")
    func wrongValue() throws {
        let found = try problems(Self.yaml(", http2: maybe"))
        #expect(found == [#"2:67: 'providers.p.http2' must be true or false, not "maybe""#], "\(found)")
    }

    @Test("the built-in provider, which sends nothing over HTTP, has no such key")
    func notForTheBuiltInProvider() throws {
        let found = try problems(Self.yaml(", http2: false", type: "default").replacingOccurrences(of: "account_sid: AC1, auth_token: secret, ", with: ""))
        #expect(found.count == 1)
        #expect(found.first?.contains("unknown key 'http2'") == true, "\(found)")
    }

    @Test("two twilio providers at one HTTP/2 host: the one with http2 off sends over HTTP/1.1 on connections of its own")
    func carriedToTheWire() async throws {
        let certificate = try TestCertificate()
        let server = try await FakeHTTPServer(tls: certificate, http2: true) { _ in
            .json(201, #"{"sid":"SM1","status":"queued","num_segments":"1"}"#, delay: .milliseconds(100))
        }
        let yaml = """
            providers:
              multiplexed: { type: twilio, account_sid: AC1, auth_token: secret, base_url: "\(server.baseURL)" }
              plain: { type: twilio, account_sid: AC1, auth_token: secret, base_url: "\(server.baseURL)", http2: false }
            routes:
              - { name: all, providers: [multiplexed, plain] }
            """
        let catalog = try shippedCatalog()
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
        let pool = HTTPConnectionPool(maxIdlePerHost: 8, tlsConfiguration: try certificate.trustingClientConfiguration())
        let providers = ProviderFactory.makeProviders(
            config.providers, inbox: NoInbox(), catalog: catalog, transport: HTTPTransport(pool: pool)
        )
        let outbound = try message()
        let outcomes = await withTaskGroup(of: (String, AttemptOutcome).self) { group in
            for provider in providers {
                for _ in 0..<4 { group.addTask { (provider.name, await send(provider, outbound).outcome) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        await pool.shutdown()
        await server.shutdown()
        #expect(outcomes.filter { $0.1 == .accepted }.count == 8, "\(outcomes)")
        #expect(server.requests.map(\.version).sorted() == Array(repeating: "HTTP/1.1", count: 4) + Array(repeating: "HTTP/2.0", count: 4))
        // Four HTTP/1.1 connections, one request at a time on each, and one HTTP/2 connection.
        #expect(server.connectionsAccepted == 5)
    }
}
