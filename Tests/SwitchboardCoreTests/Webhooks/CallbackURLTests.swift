import Testing
@testable import SwitchboardCore

/// Callback URLs a caller gives (a Twilio `StatusCallback`) may not reach into the daemon's network.
@Suite("Callback URLs")
struct CallbackURLTests {
    func refusedAsPrivate(_ url: String) -> Bool {
        if case .privateHost = CallbackURL.check(url, httpsUnlessLoopback: false, allowPrivate: false) { return true }
        return false
    }

    @Test(arguments: [
        "http://127.0.0.1/cb", "http://127.9.9.9:8080/cb", "http://localhost/cb", "http://api.localhost/cb", "http://10.0.0.5/cb",
        "http://172.16.0.1/cb", "http://172.31.255.255/cb", "http://192.168.1.1/cb", "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/cb", "http://0.0.0.0/cb", "http://[::1]/cb", "http://[::]/cb", "http://[fd00::1]/cb", "http://[fe80::1]/cb",
        "http://[::ffff:127.0.0.1]/cb", "http://[::ffff:10.1.2.3]/cb", "http://224.0.0.1/cb",
    ])
    func privateAndLoopbackAddressesAreRefused(url: String) {
        #expect(refusedAsPrivate(url), "\(url)")
    }

    @Test(arguments: ["https://example.com/cb", "http://203.0.113.7/cb", "https://172.32.0.1/cb", "https://[2001:db8::1]/cb", "https://192.169.0.1/x"])
    func publicAddressesAreAllowed(url: String) {
        #expect(CallbackURL.check(url, httpsUnlessLoopback: false, allowPrivate: false) == nil, "\(url)")
    }

    @Test func anAppMayAllowPrivateReceivers() {
        #expect(CallbackURL.check("http://127.0.0.1:9000/cb", httpsUnlessLoopback: false, allowPrivate: true) == nil)
        #expect(CallbackURL.check("http://10.1.2.3/cb", httpsUnlessLoopback: false, allowPrivate: true) == nil)
    }

    /// Resolvers read these as 127.0.0.1; only four decimal parts are judged as an address, so
    /// every other numeric form is refused outright.
    @Test(arguments: ["http://2130706433/", "http://127.1/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://127.000.000.001/"])
    func numericHostsInUnusualFormsAreRefused(url: String) {
        let problem = CallbackURL.check(url, httpsUnlessLoopback: false, allowPrivate: true)
        guard case .unusualAddress = problem else {
            Issue.record("\(url): \(String(describing: problem))")
            return
        }
    }

    @Test func schemesOtherThanHTTPAndMalformedURLsAreRefused() {
        #expect(CallbackURL.check("ftp://example.com/x", httpsUnlessLoopback: false, allowPrivate: false) == .scheme("ftp"))
        #expect(CallbackURL.check("file:///etc/passwd", httpsUnlessLoopback: false, allowPrivate: false) == .malformed)
        #expect(CallbackURL.check("not a url", httpsUnlessLoopback: false, allowPrivate: false) == .malformed)
        #expect(CallbackURL.check("/relative/path", httpsUnlessLoopback: false, allowPrivate: false) == .malformed)
    }

    @Test func aWebhookNeedsHTTPSExceptToALoopbackHost() {
        #expect(CallbackURL.check("http://hooks.example.com/x", httpsUnlessLoopback: true, allowPrivate: true) == .scheme("http"))
        #expect(CallbackURL.check("http://10.0.0.8/x", httpsUnlessLoopback: true, allowPrivate: true) == .scheme("http"))
        #expect(CallbackURL.check("http://127.0.0.1:8088/x", httpsUnlessLoopback: true, allowPrivate: true) == nil)
        #expect(CallbackURL.check("https://hooks.example.com/x", httpsUnlessLoopback: true, allowPrivate: true) == nil)
    }
}
