import Foundation
import NIOSSL
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

/// The provider HTTP client (`HTTPTransport` over `HTTPConnectionPool`) against real servers on
/// loopback: connection reuse, the ways servers end answers and connections, deadlines,
/// cancellation, and TLS verification.
@Suite("the provider HTTP client", .timeLimit(.minutes(3)))
struct HTTPTransportTests {
    /// A transport over its own pool, shut down by `body`'s end.
    func withTransport<T>(
        maxIdlePerHost: Int = 8, trusting certificate: TestCertificate? = nil, _ body: (HTTPTransport) async throws -> T
    ) async throws -> T {
        let tls = try certificate?.trustingClientConfiguration() ?? .makeClientConfiguration()
        let pool = HTTPConnectionPool(maxIdlePerHost: maxIdlePerHost, tlsConfiguration: tls)
        let result = await Result { try await body(HTTPTransport(pool: pool)) }
        await pool.shutdown()
        return try result.get()
    }

    func post(_ transport: HTTPTransport, _ url: String, body: String = "to=%2B447700900123", timeout: Duration = .seconds(30)) async -> TransportResult {
        let request = TransportRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8)
        )
        return await transport.execute(request, deadline: .now + timeout, maxResponseBytes: 1_024, logger: testLogger)
    }

    @Test("requests one after another share one connection, and each carries its Host and Content-Length")
    func keepAlive() async throws {
        let server = try await FakeHTTPServer { _ in .json(201, #"{"sid":"SM1"}"#) }
        let results = try await withTransport { transport in
            var results: [TransportResult] = []
            for _ in 0..<3 { results.append(await post(transport, server.baseURL + "/send?x=1")) }
            return results
        }
        await server.shutdown()
        #expect(results.map(\.status) == [201, 201, 201])
        #expect(results.map(\.bodyText) == Array(repeating: #"{"sid":"SM1"}"#, count: 3))
        #expect(server.connectionsAccepted == 1)
        #expect(server.requests.map(\.uri) == Array(repeating: "/send?x=1", count: 3))
        #expect(server.requests.map { $0.header("Host") } == Array(repeating: "127.0.0.1:\(server.port)", count: 3))
        #expect(server.requests.map { $0.header("Content-Length") } == Array(repeating: "18", count: 3))
        #expect(server.requests.map(\.bodyText) == Array(repeating: "to=%2B447700900123", count: 3))
    }

    @Test("an answer that says Connection: close is read whole, and the next request opens a new connection")
    func connectionClose() async throws {
        let server = try await FakeHTTPServer { _ in .json(200, "{}", headers: [("Connection", "close")]) }
        let results = try await withTransport { transport in
            [await post(transport, server.baseURL + "/a"), await post(transport, server.baseURL + "/b")]
        }
        await server.shutdown()
        #expect(results.map(\.status) == [200, 200])
        #expect(server.connectionsAccepted == 2)
    }

    @Test("a connection the server closed while it sat idle is not used again: the next request is answered on a new one")
    func closedWhileIdle() async throws {
        let answer = Array(#"{"ok":true}"#.utf8)
        // A whole answer with its length, then the server closes without having said it would.
        let server = try await FakeHTTPServer { _ in .cutOff(status: 200, body: answer, declaredLength: answer.count) }
        let results = try await withTransport { transport in
            let first = await post(transport, server.baseURL + "/a")
            try await Task.sleep(for: .milliseconds(300))
            return [first, await post(transport, server.baseURL + "/b")]
        }
        await server.shutdown()
        #expect(results.map(\.status) == [200, 200])
        #expect(results.map(\.bodyText) == [#"{"ok":true}"#, #"{"ok":true}"#])
        #expect(server.connectionsAccepted == 2)
    }

    @Test("a connection is not reused once the server's Keep-Alive timeout, less a second, has passed; without one it is")
    func keepAliveTimeout() async throws {
        let announcing = try await FakeHTTPServer { _ in .json(200, "{}", headers: [("Keep-Alive", "timeout=2, max=100")]) }
        let silent = try await FakeHTTPServer { _ in .json(200, "{}") }
        let statuses = try await withTransport { transport in
            var statuses: [Int?] = []
            for server in [announcing, silent] {
                statuses.append(await post(transport, server.baseURL).status)
                try await Task.sleep(for: .milliseconds(1_300))
                statuses.append(await post(transport, server.baseURL).status)
            }
            return statuses
        }
        await announcing.shutdown()
        await silent.shutdown()
        #expect(statuses == [200, 200, 200, 200])
        #expect(announcing.connectionsAccepted == 2)
        #expect(silent.connectionsAccepted == 1)
    }

    @Test("Keep-Alive timeouts are read from any parameter position and letter case; a second is kept in hand")
    func keepAliveHeader() {
        #expect(KeepAliveTimeout.announced(in: ["timeout=5, max=100"]) == .seconds(5))
        #expect(KeepAliveTimeout.announced(in: ["max=100, Timeout = 15"]) == .seconds(15))
        #expect(KeepAliveTimeout.announced(in: ["max=100", "timeout=3"]) == .seconds(3))
        #expect(KeepAliveTimeout.announced(in: []) == nil)
        #expect(KeepAliveTimeout.announced(in: ["max=100"]) == nil)
        #expect(KeepAliveTimeout.announced(in: ["timeout=soon"]) == nil)
        #expect(KeepAliveTimeout.announced(in: ["timeout=-1"]) == nil)
        #expect(KeepAliveTimeout.keep(ourLimit: .seconds(60), announced: nil) == .seconds(60))
        #expect(KeepAliveTimeout.keep(ourLimit: .seconds(60), announced: .seconds(5)) == .seconds(4))
        #expect(KeepAliveTimeout.keep(ourLimit: .seconds(60), announced: .seconds(120)) == .seconds(60))
        #expect(KeepAliveTimeout.keep(ourLimit: .seconds(60), announced: .seconds(1)) <= .zero)
    }

    @Test("an HTTP/1.0 answer with no length, ended by the server closing the connection, is read whole")
    func closeDelimited() async throws {
        let server = try await FakeHTTPServer { _ in .closeDelimited(status: 200, body: Array("<ok>queued</ok>".utf8)) }
        let results = try await withTransport { transport in
            [await post(transport, server.baseURL + "/soap"), await post(transport, server.baseURL + "/soap")]
        }
        await server.shutdown()
        #expect(results.map(\.status) == [200, 200])
        #expect(results.map(\.bodyText) == ["<ok>queued</ok>", "<ok>queued</ok>"])
        #expect(server.connectionsAccepted == 2)
    }

    @Test("the pool keeps at most maxIdlePerHost idle connections to a host: the rest close after their answer")
    func idleLimit() async throws {
        let server = try await FakeHTTPServer { _ in .json(200, "{}", delay: .milliseconds(200)) }
        let (first, second) = try await withTransport(maxIdlePerHost: 2) { transport in
            let first = await withTaskGroup(of: Int?.self) { group in
                for _ in 0..<5 { group.addTask { await post(transport, server.baseURL).status } }
                return await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            let opened = server.connectionsAccepted
            // Of four requests at once, two find the kept connections and two open new ones.
            let second = await withTaskGroup(of: Int?.self) { group in
                for _ in 0..<4 { group.addTask { await post(transport, server.baseURL).status } }
                return await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            return ((first, opened), second)
        }
        await server.shutdown()
        #expect(first.0 == Array(repeating: 200, count: 5))
        #expect(first.1 == 5)
        #expect(second == [200, 200, 200, 200])
        #expect(server.connectionsAccepted == 7)
    }

    @Test("no answer by the deadline: maybe sent; a refused connection: not sent; the pool still answers afterwards")
    func deadlinesAndRefusals() async throws {
        let server = try await FakeHTTPServer { request in request.path == "/hang" ? .hang : .json(200, "{}") }
        let closedPort = try await FakeHTTPServer { _ in .respond(status: 200) }
        let refusedURL = closedPort.baseURL
        await closedPort.shutdown()
        let (warm, (hung, hungFor), refused, after) = try await withTransport { transport in
            // The hanging request goes out on a kept connection, so the deadline falls on the wait
            // for its answer and never on connecting, which a busy machine can slow past it.
            // The warm request's deadline is the later one: the hanging request's must still end it.
            let warm = await post(transport, server.baseURL + "/ok")
            let started = ContinuousClock.now
            let hung = await post(transport, server.baseURL + "/hang", timeout: .seconds(2))
            let hungFor = ContinuousClock.now - started
            let refused = await post(transport, refusedURL)
            let after = await post(transport, server.baseURL + "/ok")
            return (warm, (hung, hungFor), refused, after)
        }
        await server.shutdown()
        #expect(warm.status == 200)
        #expect(server.requests.map(\.path).prefix(2) == ["/ok", "/hang"])
        #expect(hung.failure == "maybeSent: the attempt's time ran out after the request was sent, before its answer")
        #expect(hungFor >= .seconds(2) && hungFor < .seconds(20), "ended after \(hungFor), not at its own deadline")
        #expect(refused.failure == "notSent: cannot connect to \(refusedURL.dropFirst("http://".count)): Connection refused", "\(refused)")
        #expect(after.status == 200)
    }

    @Test("on a kept connection, a request with a later deadline than the one before it runs until its own")
    func laterDeadlineOnAKeptConnection() async throws {
        let server = try await FakeHTTPServer { request in request.path == "/hang" ? .hang : .json(200, "{}") }
        let (quick, hung, hungFor) = try await withTransport { transport in
            // Time enough for a machine busy with the whole suite to answer the first (CI saw one
            // take more than four seconds); the second's deadline is later.
            let quick = await post(transport, server.baseURL + "/ok", timeout: .seconds(15))
            let started = ContinuousClock.now
            let hung = await post(transport, server.baseURL + "/hang", timeout: .seconds(18))
            return (quick, hung, ContinuousClock.now - started)
        }
        await server.shutdown()
        #expect(quick.status == 200, "\(quick)")
        #expect(server.connectionsAccepted == 1)
        #expect(hung.failure == "maybeSent: the attempt's time ran out after the request was sent, before its answer")
        #expect(hungFor >= .seconds(18) && hungFor < .seconds(60), "ended after \(hungFor), not at its own deadline")
    }

    @Test("a cancelled request ends at once as maybe sent, and the connection it held is not handed to the next request")
    func cancellation() async throws {
        let server = try await FakeHTTPServer { request in request.path == "/hang" ? .hang : .json(200, "{}") }
        let (cancelled, after, elapsed) = try await withTransport { transport in
            let started = ContinuousClock.now
            let hanging = Task { await post(transport, server.baseURL + "/hang", timeout: .seconds(50)) }
            while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            hanging.cancel()
            let cancelled = await hanging.value
            let elapsed = ContinuousClock.now - started
            return (cancelled, await post(transport, server.baseURL + "/ok"), elapsed)
        }
        await server.shutdown()
        #expect(cancelled.failure == "maybeSent: cancelled after the request was sent, before its answer")
        #expect(elapsed < .seconds(40))
        #expect(after.status == 200)
        #expect(server.connectionsAccepted == 2)
    }

    @Test("a request whose send was cancelled before it was written is not sent: it ends at once, and the server sees nothing of it")
    func cancelledBeforeWritten() async throws {
        let server = try await FakeHTTPServer { request in request.path == "/hang" ? .hang : .json(200, "{}") }
        let (cancelled, after) = try await withTransport { transport in
            // A connection waits in the pool, so the request would be written without connecting.
            _ = await post(transport, server.baseURL + "/ok")
            let sending = Task {
                // Cancelled while it sleeps, it then asks with its task already cancelled.
                try? await Task.sleep(for: .seconds(60))
                return await post(transport, server.baseURL + "/hang", timeout: .seconds(50))
            }
            sending.cancel()
            return (await sending.value, await post(transport, server.baseURL + "/ok"))
        }
        await server.shutdown()
        #expect(cancelled.failure == "notSent: cancelled before the request was written")
        #expect(after.status == 200)
        #expect(server.requests.map(\.path) == ["/ok", "/ok"])
    }

    @Test("an answer longer than the limit is not read, whether its length is declared or chunked")
    func tooLarge() async throws {
        let big = [UInt8](repeating: 0x61, count: 2_000)
        let server = try await FakeHTTPServer { request in
            request.path == "/declared" ? .respond(status: 200, body: big) : .chunked(status: 200, parts: [Array(big[..<900]), Array(big[900...])])
        }
        let (declared, chunked) = try await withTransport { transport in
            (await post(transport, server.baseURL + "/declared"), await post(transport, server.baseURL + "/chunked"))
        }
        await server.shutdown()
        #expect(declared.failure == "tooLarge: 200")
        #expect(chunked.failure == "tooLarge: 200")
    }

    @Test("https: a provider whose certificate the client trusts answers; with only the system's trust roots the same provider is refused before anything is sent")
    func tls() async throws {
        let certificate = try TestCertificate()
        let server = try await FakeHTTPServer(tls: certificate) { _ in .json(201, #"{"sid":"SM1"}"#) }
        let trusted = try await withTransport(trusting: certificate) { transport in
            [await post(transport, server.baseURL + "/send"), await post(transport, server.baseURL + "/send")]
        }
        let untrusted = try await withTransport { transport in await post(transport, server.baseURL + "/send") }
        await server.shutdown()
        #expect(trusted.map(\.status) == [201, 201])
        #expect(trusted.map(\.bodyText) == [#"{"sid":"SM1"}"#, #"{"sid":"SM1"}"#])
        #expect(untrusted.failure?.hasPrefix("notSent: ") == true, "\(untrusted)")
        #expect(server.requests.count == 2)
        #expect(server.requests.first?.header("Host") == "127.0.0.1:\(server.port)")
    }

    @Test("URLs are split into connection and request target; what cannot be sent is named without repeating the URL")
    func urls() throws {
        let plain = try TransportURL(parsing: "http://api.example.com/2010-04-01/Messages.json?a=%2B1#frag")
        #expect(plain.isSecure == false)
        #expect(plain.host == "api.example.com")
        #expect(plain.port == 80)
        #expect(plain.target == "/2010-04-01/Messages.json?a=%2B1")
        #expect(plain.hostHeader == "api.example.com")
        let secure = try TransportURL(parsing: "HTTPS://[2001:db8::1]:8443?q=1")
        #expect(secure.isSecure)
        #expect(secure.host == "2001:db8::1")
        #expect(secure.port == 8443)
        #expect(secure.target == "/?q=1")
        #expect(secure.hostHeader == "[2001:db8::1]:8443")
        #expect(try TransportURL(parsing: "https://sms.example.com").target == "/")
        #expect(try TransportURL(parsing: "https://sms.example.com:443/x").hostHeader == "sms.example.com")
        let unicode = try TransportURL(parsing: "Http://bücher.example:0080/é?ü#x")
        #expect(unicode.host == "bücher.example")
        #expect(unicode.port == 80)
        #expect(unicode.target == "/é?ü")
        let refused = [
            ("sms.example.com/send", "the request's URL does not start with http:// or https://"),
            ("ftp://sms.example.com/", "the request's URL has the scheme \"ftp\"; only http and https are supported"),
            ("https://user:secret@sms.example.com/", "the request's URL carries credentials in its address"),
            ("https://sms.example.com:99999/", "the request's URL has the port \"99999\", which is not a number from 1 to 65535"),
            ("https://sms.example.com:99999999999999999999999/", "the request's URL has the port \"99999999999999999999999\", which is not a number from 1 to 65535"),
            ("https://sms.example.com:+443/", "the request's URL has the port \"+443\", which is not a number from 1 to 65535"),
            ("https://sms.example.com:/", "the request's URL has the port \"\", which is not a number from 1 to 65535"),
            ("httpx://sms.example.com/", "the request's URL has the scheme \"httpx\"; only http and https are supported"),
            ("https://:443/", "the request's URL has no host"),
            ("https://[2001:db8::1/", "the request's URL has an unclosed IPv6 address"),
        ]
        for (url, problem) in refused {
            #expect(throws: TransportURLError.self) { try TransportURL(parsing: url) }
            do {
                _ = try TransportURL(parsing: url)
            } catch {
                #expect(error.description == problem)
                #expect(!error.description.contains("secret"))
            }
        }
    }
}

extension TransportResult {
    var status: Int? {
        if case .response(let response) = self { response.status } else { nil }
    }

    var bodyText: String? {
        if case .response(let response) = self { String(decoding: response.body, as: UTF8.self) } else { nil }
    }

    /// The status, or the failure: what a test prints when a result is not the one it expected.
    var summary: String {
        status.map(String.init) ?? failure ?? ""
    }

    /// `kind: detail`, for the failures tests compare whole.
    var failure: String? {
        guard case .failure(let failure) = self else { return nil }
        switch failure {
        case .notSent(let detail): return "notSent: \(detail)"
        case .maybeSent(let detail): return "maybeSent: \(detail)"
        case .tooLarge(let status, _): return "tooLarge: \(status)"
        }
    }
}
