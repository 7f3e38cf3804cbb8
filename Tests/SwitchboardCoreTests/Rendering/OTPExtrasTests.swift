import SwitchboardCore
import Testing

@Suite struct OTPExtrasTests {
    @Test(arguments: ["login.example.com", "example.com", "localhost", "xn--bcher-kva.example", "a-b.Example.COM", "app1.example.io"])
    func acceptsHostNames(_ domain: String) {
        #expect(OTPExtras.problem(withWebOTPDomain: domain) == nil)
    }

    @Test(arguments: [
        ("https://login.example.com", "without the scheme"),
        ("login.example.com:443", "without port, path"),
        ("login.example.com/verify", "'/' is not allowed"),
        ("login example.com", "' ' is not allowed"),
        ("", "empty label"),
        (".example.com", "empty label"),
        ("login..example.com", "empty label"),
        ("example.com.", "empty label"),
        ("-login.example.com", "starts or ends with '-'"),
        ("login_page.example.com", "contains '_'"),
        ("bücher.example", "punycode"),
        ("192.168.1.10", "IP address"),
        (String(repeating: "a", count: 64) + ".com", "longer than 63"),
    ])
    func rejectsWhatIsNotAHostName(domain: String, expected: String) throws {
        let problem = try #require(OTPExtras.problem(withWebOTPDomain: domain))
        #expect(problem.contains(expected), "\(problem)")
    }

    @Test(arguments: ["FA+9qCX9VSu", "abcdefghijk", "0123456789/"])
    func acceptsAppHashes(_ hash: String) {
        #expect(OTPExtras.problem(withAndroidAppHash: hash) == nil)
    }

    @Test(arguments: [
        ("FA+9qCX9VS", "has 10 characters"),
        ("FA+9qCX9VSuX", "has 12 characters"),
        ("FA+9qCX9VS=", "contains '='"),
        ("FA+9qCX9VS_", "contains '_'"),
        ("FA+9qCX9VSé", "contains 'é'"),
        ("FA+9q X9VSu", "contains ' '"),
    ])
    func rejectsBadAppHashes(hash: String, expected: String) throws {
        let problem = try #require(OTPExtras.problem(withAndroidAppHash: hash))
        #expect(problem.contains(expected), "\(problem)")
        #expect(problem.contains("exactly 11 characters"))
    }

    @Test func noneHasNoLines() {
        #expect(OTPExtras.none == OTPExtras(webOTPDomain: nil, androidAppHash: nil))
    }
}
