import Testing

@testable import SwitchboardCore

@Suite struct MessageLinksTests {
    @Test(arguments: [
        ("{app} code {otp}: http://evil.example/x?c={otp}", ["evil.example"]),
        ("{otp} is your {app} code. Visit www.Evil.Example now", ["www.evil.example"]),
        ("{otp} for {app}, see acme.co/help.", ["acme.co"]),
        ("{otp} {app} (https://user@login.acme.example:8443/a)", ["login.acme.example"]),
        ("{otp} {app} hxxp://10.0.0.1/x", ["10.0.0.1"]),
        ("{otp} is your {app} code, e.g. for U.S. logins. Don't share it.", []),
        ("{otp} is your {app} code. It expires in 5.5 minutes", []),
    ])
    func findsEveryLinkAndNothingElse(text: String, hosts: [String]) {
        #expect(MessageLinks.hosts(in: text) == hosts)
    }

    @Test func aListedDomainAllowsItselfAndItsSubdomainsOnly() {
        let domains = ["acme.example"]
        #expect(MessageLinks.isAllowed(host: "acme.example", domains: domains))
        #expect(MessageLinks.isAllowed(host: "login.acme.example", domains: domains))
        #expect(!MessageLinks.isAllowed(host: "evilacme.example", domains: domains))
        #expect(!MessageLinks.isAllowed(host: "acme.example.evil.example", domains: domains))
        #expect(!MessageLinks.isAllowed(host: "acme.example", domains: []))
    }
}
