import Testing
@testable import SwitchboardCore

/// `server.listen`: `HOST:PORT` or `[IPv6]:PORT`, and nothing else.
@Suite("server.listen")
struct ListenAddressTests {
    typealias R = ConfigReference

    @Test(
        "HOST:PORT and [IPv6]:PORT are read, ports 0 to 65535",
        arguments: [
            ("127.0.0.1:8080", "127.0.0.1", 8080), ("0.0.0.0:0", "0.0.0.0", 0), ("localhost:65535", "localhost", 65535),
            ("[::1]:9090", "::1", 9090), ("[::]:443", "::", 443),
        ]
    )
    func accepted(written: String, host: String, port: Int) throws {
        let server = try parseConfig("server: { listen: \"\(written)\" }\n" + R.rest).server
        #expect(server.host == host)
        #expect(server.port == port)
        #expect(server.issuer == "http://\(host):\(port)")
    }

    @Test(
        "anything else is refused at the value, saying what to write",
        arguments: ["localhost", "127.0.0.1:65536", "127.0.0.1:-1", ":8080", "[::1]8080", "[::1]", "127.0.0.1:http", "::1:"]
    )
    func refused(written: String) {
        #expect(
            R.printed("server: { listen: \"\(written)\" }\n" + R.rest)
                == ["test.yaml:1:19: 'server.listen' is \"\(written)\"; write HOST:PORT, such as 127.0.0.1:8080 or [::1]:8080, with a port from 0 to 65535"]
        )
    }

    @Test("server.issuer must be an http(s) URL")
    func issuerIsAURL() throws {
        #expect(try parseConfig("server: { issuer: \"https://login.example.com\" }\n" + R.rest).server.issuer == "https://login.example.com")
        #expect(
            R.printed("server: { issuer: login.example.com }\n" + R.rest)
                == ["test.yaml:1:19: 'server.issuer' is \"login.example.com\"; write the URL clients reach this server at, such as https://login.example.com"]
        )
    }
}
