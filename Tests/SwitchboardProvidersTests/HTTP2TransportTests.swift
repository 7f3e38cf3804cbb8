import NIOCore
import NIOPosix
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

/// The provider HTTP client against `https` providers that choose HTTP/2 in the TLS handshake,
/// and against ones that choose HTTP/1.1 while several requests wait on the first connection. Its
/// tests run one at a time: each starts TLS servers and sends many requests, on a machine where
/// other suites time what they send.
@Suite("the provider HTTP client over HTTPS and HTTP/2", .serialized, .timeLimit(.minutes(3)))
struct HTTP2TransportTests {
    let base = HTTPTransportTests()

    /// Holds each answer until `expected` requests have come, so that they are all in flight at
    /// once however late a busy machine starts some of them; later requests pass at once.
    final class Arrivals: Sendable {
        private let arrived = Locked(0)
        private let expected: Int

        init(expected: Int) {
            self.expected = expected
        }

        func arriveAndWait() async {
            arrived.withLock { $0 += 1 }
            _ = await eventually(within: .seconds(30)) { arrived.withLock { $0 } >= expected }
        }
    }

    func postAtOnce(_ count: Int, _ transport: HTTPTransport, _ url: String) async -> [TransportResult] {
        await withTaskGroup(of: TransportResult.self) { group in
            for _ in 0..<count { group.addTask { await base.post(transport, url) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("HTTP/2: requests at once share one connection, a stream each, with their authority, length and body")
    func http2SharesOneConnection() async throws {
        let certificate = try TestCertificate()
        let server = try await FakeHTTPServer(tls: certificate, http2: true) { _ in .json(201, #"{"sid":"SM1"}"#, delay: .milliseconds(200)) }
        let results = try await base.withTransport(trusting: certificate) { transport in
            await postAtOnce(40, transport, server.baseURL + "/send?x=1")
        }
        await server.shutdown()
        #expect(results.map(\.status) == Array(repeating: 201, count: 40), "\(results.map(\.summary))")
        #expect(results.map(\.bodyText) == Array(repeating: #"{"sid":"SM1"}"#, count: 40))
        #expect(server.connectionsAccepted == 1)
        #expect(server.requests.map(\.version) == Array(repeating: "HTTP/2.0", count: 40))
        #expect(server.requests.map(\.uri) == Array(repeating: "/send?x=1", count: 40))
        #expect(Set(server.requests.map { $0.header("Host") }) == ["127.0.0.1:\(server.port)"])
        #expect(Set(server.requests.map { $0.header("Content-Length") }) == ["18"])
        #expect(Set(server.requests.map(\.bodyText)) == ["to=%2B447700900123"])
    }

    @Test("HTTP/2: a provider that allows four streams at once gets a further connection for each four requests in flight")
    func http2StreamLimit() async throws {
        let certificate = try TestCertificate()
        let arrivals = Arrivals(expected: 16)
        let server = try await FakeHTTPServer(tls: certificate, http2: true, maxConcurrentStreams: 4) { _ in
            await arrivals.arriveAndWait()
            return .json(201, "{}")
        }
        let (results, later) = try await base.withTransport(trusting: certificate) { transport in
            (await postAtOnce(16, transport, server.baseURL), await postAtOnce(8, transport, server.baseURL))
        }
        await server.shutdown()
        // Each answer waits for all sixteen requests: a client that held some back on a full
        // connection instead of opening another would wait out the test.
        #expect(results.map(\.status) == Array(repeating: 201, count: 16), "\(results.map(\.summary))")
        #expect(later.map(\.status) == Array(repeating: 201, count: 8))
        #expect(server.connectionsAccepted == 4)
    }

    @Test("HTTP/2: a stream that outlives its deadline or its size limit ends alone; the connection goes on carrying the others")
    func http2StreamFailures() async throws {
        let certificate = try TestCertificate()
        let big = [UInt8](repeating: 0x61, count: 2_000)
        let server = try await FakeHTTPServer(tls: certificate, http2: true) { request in
            switch request.path {
            case "/hang": .hang
            case "/big": .respond(status: 200, body: big)
            default: .json(201, "{}", delay: .milliseconds(100))
            }
        }
        let (hung, big2, during, after) = try await base.withTransport(trusting: certificate) { transport in
            _ = await base.post(transport, server.baseURL + "/ok")
            async let hung = base.post(transport, server.baseURL + "/hang", timeout: .seconds(2))
            async let big = base.post(transport, server.baseURL + "/big")
            async let during = postAtOnce(5, transport, server.baseURL + "/ok")
            let results = await (hung, big, during)
            return (results.0, results.1, results.2, await base.post(transport, server.baseURL + "/ok"))
        }
        await server.shutdown()
        #expect(hung.failure == "maybeSent: the attempt's time ran out after the request was sent, before its answer")
        #expect(big2.failure == "tooLarge: 200")
        #expect(during.map(\.status) == Array(repeating: 201, count: 5))
        #expect(after.status == 201)
        #expect(server.connectionsAccepted == 1)
    }

    @Test("HTTP/2: after a GOAWAY the request in flight is answered and the next ones go to a new connection; unused connections, the one that went away too, close after the idle time")
    func http2GoAwayAndIdle() async throws {
        let certificate = try TestCertificate()
        let server = try await FakeHTTPServer(tls: certificate, http2: true, goAwayAfter: 2) { _ in .json(201, "{}") }
        let pool = HTTPConnectionPool(maxIdlePerHost: 8, idleTimeout: .seconds(1), tlsConfiguration: try certificate.trustingClientConfiguration())
        let transport = HTTPTransport(pool: pool)
        var statuses: [TransportResult] = []
        for _ in 0..<4 { statuses.append(await base.post(transport, server.baseURL)) }
        let afterGoAway = server.connectionsAccepted
        try await Task.sleep(for: .seconds(3))
        // The one that went away and the one left unused, both closed by the client.
        let endedWhileIdle = server.connectionsEnded
        statuses.append(await base.post(transport, server.baseURL))
        await pool.shutdown()
        await server.shutdown()
        #expect(statuses.map(\.status) == [201, 201, 201, 201, 201], "\(statuses.map(\.summary))")
        #expect(afterGoAway == 2)
        #expect(endedWhileIdle == 2)
        #expect(server.connectionsAccepted == 3)
    }

    /// Sends `count` requests at once, each with a body of its own (`n=0`, `n=1`, …), through
    /// a pool that trusts `certificate`, and expects each answered `201` and processed by `server`
    /// exactly once. Shuts `server` down.
    func expectEachAnsweredAndProcessedOnce(
        _ count: Int, by server: FakeHTTPServer, trusting certificate: TestCertificate, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let results = try await base.withTransport(trusting: certificate) { transport in
            await withTaskGroup(of: TransportResult.self) { group in
                for number in 0..<count { group.addTask { await base.post(transport, server.baseURL, body: "n=\(number)") } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        await server.shutdown()
        #expect(results.map(\.status) == Array(repeating: 201, count: count), "\(results.map(\.summary))", sourceLocation: sourceLocation)
        #expect(server.requests.compactMap(\.bodyText).sorted() == (0..<count).map { "n=\($0)" }.sorted(), sourceLocation: sourceLocation)
    }

    @Test("HTTP/2: streams beyond the last one a provider's GOAWAY serves were not processed, and go again on a new connection: every request answered, each processed once")
    func http2RefusedStreamsGoAgain() async throws {
        let certificate = try TestCertificate()
        // The sixth stream on a connection, and any after it, are refused: the first connection
        // serves five of the ten, the second the rest.
        let server = try await FakeHTTPServer(tls: certificate, http2: true, refuseFrom: 6) { _ in .json(201, "{}") }
        try await expectEachAnsweredAndProcessedOnce(10, by: server, trusting: certificate)
        #expect(server.connectionsAccepted == 2)
    }

    @Test("HTTP/2: streams a provider resets with REFUSED_STREAM go again on the same connection: every request answered, each processed once")
    func http2ResetRefusedStreamsGoAgain() async throws {
        let certificate = try TestCertificate()
        let server = try await FakeHTTPServer(tls: certificate, http2: true, resetRefused: [2, 3, 5]) { _ in .json(201, "{}") }
        try await expectEachAnsweredAndProcessedOnce(6, by: server, trusting: certificate)
        #expect(server.connectionsAccepted == 1)
    }

    @Test("HTTP/2: a provider that refuses every stream gets the request on three connections, then it fails as not sent")
    func http2EveryStreamRefused() async throws {
        let certificate = try TestCertificate()
        let server = try await FakeHTTPServer(tls: certificate, http2: true, refuseFrom: 1) { _ in .json(201, "{}") }
        let result = try await base.withTransport(trusting: certificate) { transport in await base.post(transport, server.baseURL) }
        await server.shutdown()
        #expect(result.failure == "notSent: the provider did not process the request: it refused its HTTP/2 stream, or went away (GOAWAY) before it")
        #expect(server.requests.isEmpty)
        #expect(server.connectionsAccepted == 3)
    }

    @Test("HTTP/2: a provider whose connection allows no streams gets no request: each fails at once as not sent, and no further connection opens")
    func http2NoStreamsAllowed() async throws {
        let certificate = try TestCertificate()
        let server = try await FakeHTTPServer(tls: certificate, http2: true, maxConcurrentStreams: 0) { _ in .json(201, "{}") }
        let (results, elapsed) = try await base.withTransport(trusting: certificate) { transport in
            let started = ContinuousClock.now
            let results = await withTaskGroup(of: TransportResult.self) { group in
                for _ in 0..<5 { group.addTask { await base.post(transport, server.baseURL, timeout: .seconds(5)) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            return (results, ContinuousClock.now - started)
        }
        await server.shutdown()
        let expected =
            "notSent: the provider allows no requests at the moment: its HTTP/2 connection allows no streams (SETTINGS_MAX_CONCURRENT_STREAMS is 0)"
        #expect(results.map(\.failure) == Array(repeating: expected, count: 5))
        #expect(elapsed < .seconds(5), "ended after \(elapsed), at the deadline")
        #expect(server.requests.isEmpty)
        #expect(server.connectionsAccepted == 1)
    }

    @Test("HTTP/2: a pool shut down with requests in flight answers them, then refuses new ones")
    func http2ShutdownAnswersInFlight() async throws {
        let certificate = try TestCertificate()
        let server = try await FakeHTTPServer(tls: certificate, http2: true) { _ in .json(201, "{}", delay: .milliseconds(500)) }
        let pool = HTTPConnectionPool(maxIdlePerHost: 8, tlsConfiguration: try certificate.trustingClientConfiguration())
        let transport = HTTPTransport(pool: pool)
        _ = await base.post(transport, server.baseURL)
        let inFlight = Task { await postAtOnce(3, transport, server.baseURL) }
        try await requireEventually(within: .seconds(30)) { server.requests.count >= 4 }
        await pool.shutdown()
        let refused = await base.post(transport, server.baseURL)
        let answered = await inFlight.value
        await server.shutdown()
        #expect(answered.map(\.status) == [201, 201, 201])
        #expect(refused.failure == "notSent: the HTTP client is shut down")
    }

    /// Ten senders of `each` requests each, one after another.
    func postFromTenSenders(_ each: Int, _ transport: HTTPTransport, _ url: String) async -> [TransportResult] {
        await withTaskGroup(of: [TransportResult].self) { group in
            for _ in 0..<10 {
                group.addTask {
                    var results: [TransportResult] = []
                    for _ in 0..<each { results.append(await base.post(transport, url)) }
                    return results
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
    }

    @Test("HTTP/2: a stream answered in full is left to end by itself: sixty requests on one connection to a server that tolerates twenty resets")
    func http2AnsweredStreamsAreNotReset() async throws {
        let certificate = try TestCertificate()
        let server = try await FakeHTTPServer(tls: certificate, http2: true) { _ in .json(201, "{}") }
        let results = try await base.withTransport(trusting: certificate) { transport in
            await postFromTenSenders(6, transport, server.baseURL)
        }
        await server.shutdown()
        // A client that resets each answered stream is told ENHANCE_YOUR_CALM after twenty.
        #expect(results.map(\.status) == Array(repeating: 201, count: 60), "\(results.map(\.summary))")
        #expect(server.connectionsAccepted == 1)
    }

    @Test("HTTP/2 with nginx, which resets each stream it answered without reading the request body: 250 requests answered on one connection")
    func http2WithNginx() async throws {
        let certificate = try TestCertificate()
        let path = "/2010-04-01/Accounts/AC1/Messages.json"
        let nginx = try await NginxServer(certificate: certificate, answers: [(path, 201, #"{"sid":"SM1","status":"queued"}"#)])
        let results = try await base.withTransport(trusting: certificate) { transport in
            await postFromTenSenders(25, transport, nginx.baseURL + path)
        }
        let requests = try nginx.requests()
        await nginx.stop()
        // NIO's defaults would count those resets as an attack after two hundred and end the
        // connection, losing the answers in flight.
        #expect(results.map(\.status) == Array(repeating: 201, count: 250), "\(results.map(\.summary))")
        #expect(Set(results.map(\.bodyText)) == [#"{"sid":"SM1","status":"queued"}"#])
        #expect(requests.count == 250)
        #expect(Set(requests.map(\.protocol)) == ["HTTP/2.0"])
        #expect(Set(requests.map(\.connection)).count == 1)
    }

    @Test("HTTP/2 with nginx reloaded three times under load: the streams past each old worker's GOAWAY go again to the new one; every request answered, each logged once")
    func http2WithNginxReloading() async throws {
        let certificate = try TestCertificate()
        let path = "/2010-04-01/Accounts/AC1/Messages.json"
        let nginx = try await NginxServer(certificate: certificate, answers: [(path, 201, "{}")], reloadable: true)
        let sending = Locked(true)
        let results = try await base.withTransport(trusting: certificate) { transport in
            await withTaskGroup(of: [TransportResult].self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        var results: [TransportResult] = []
                        while sending.withLock({ $0 }) { results.append(await base.post(transport, nginx.baseURL + path)) }
                        return results
                    }
                }
                group.addTask {
                    for _ in 0..<3 {
                        try? await Task.sleep(for: .milliseconds(300))
                        nginx.reload()
                    }
                    try? await Task.sleep(for: .milliseconds(300))
                    sending.withLock { $0 = false }
                    return []
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
        }
        let requests = try nginx.requests()
        await nginx.stop()
        #expect(results.filter { $0.status != 201 }.map(\.summary) == [])
        #expect(requests.count == results.count)
        // The reloads came while requests were sent: later ones went to new workers.
        #expect(Set(requests.map(\.connection)).count >= 2)
    }

    @Test("https with HTTP/1.1: requests that waited on the host's first connection each open their own once it chose HTTP/1.1")
    func http1ChosenAfterWaiting() async throws {
        let certificate = try TestCertificate()
        let arrivals = Arrivals(expected: 8)
        let server = try await FakeHTTPServer(tls: certificate) { _ in
            await arrivals.arriveAndWait()
            return .json(201, "{}")
        }
        let results = try await base.withTransport(trusting: certificate) { transport in
            await postAtOnce(8, transport, server.baseURL)
        }
        await server.shutdown()
        #expect(results.map(\.status) == Array(repeating: 201, count: 8), "\(results.map(\.summary))")
        #expect(server.requests.map(\.version) == Array(repeating: "HTTP/1.1", count: 8))
        #expect(server.connectionsAccepted == 8)
    }

    @Test("https: a server that takes the connection and never finishes the handshake fails the request as not sent at its deadline, and so do the requests that waited for it")
    func handshakeThatNeverEnds() async throws {
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { _ in MultiThreadedEventLoopGroup.singleton.next().makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        let url = "https://127.0.0.1:\(port)"
        let (results, elapsed) = try await base.withTransport { transport in
            let started = ContinuousClock.now
            let results = await withTaskGroup(of: TransportResult.self) { group in
                for _ in 0..<3 { group.addTask { await base.post(transport, url, timeout: .seconds(2)) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            return (results, ContinuousClock.now - started)
        }
        try await silent.close()
        let expected = "notSent: cannot connect to 127.0.0.1:\(port): the TLS handshake did not finish before the attempt's time ran out"
        #expect(results.map(\.failure) == Array(repeating: expected, count: 3))
        #expect(elapsed >= .seconds(2) && elapsed < .seconds(20), "ended after \(elapsed), not at the deadline")
    }
}
