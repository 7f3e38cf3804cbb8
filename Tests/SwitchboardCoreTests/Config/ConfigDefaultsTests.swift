import Testing
@testable import SwitchboardCore

/// The "default" column of the README's configuration reference: a file that leaves a key out gets
/// exactly the value the README promises. Expected values are written out, never read back from
/// the types' own initialisers, so that a changed default fails here.
@Suite("Configuration defaults")
struct ConfigDefaultsTests {
    static let bare = """
        apps:
          demo:
            name: Demo
            message: "{otp} is your code"
        providers:
          default: { type: default }
        routes:
          - { name: everyone, providers: [default] }
        """

    @Test("server: listen 127.0.0.1:8080, issuer from it, no API keys, timeouts 10s/30s/60s, 1024 connections")
    func serverDefaults() throws {
        let server = try parseConfig(Self.bare).server
        #expect(server.host == "127.0.0.1")
        #expect(server.port == 8080)
        #expect(server.issuer == "http://127.0.0.1:8080")
        #expect(server.apiKeys.isEmpty)
        #expect(server.connections.header == .seconds(10))
        #expect(server.connections.body == .seconds(30))
        #expect(server.connections.idle == .seconds(60))
        #expect(server.connections.maxConnections == 1024)
        #expect(server.connections.listenBacklog == 1024)
    }

    @Test("server.credential_failures: 10 failures within 60s block for 60s")
    func credentialFailureDefaults() throws {
        let limits = try parseConfig(Self.bare).server.credentialFailures
        #expect(limits.failures == 10)
        #expect(limits.window == .seconds(60))
        #expect(limits.block == .seconds(60))
    }

    @Test("storage, messages and delivery defaults")
    func storageMessagesDeliveryDefaults() throws {
        let config = try parseConfig(Self.bare)
        #expect(config.storage == .sqlite(SQLiteSettings(path: "./data/switchboard.sqlite")))
        #expect(config.messages.maxSegments == 3)
        #expect(config.delivery.deadline == .seconds(10))
        #expect(config.delivery.attemptTimeout == .seconds(3))
    }

    @Test("an empty storage mapping still means the default SQLite file")
    func emptyStorageMapping() throws {
        let config = try parseConfig("storage: {}\n" + Self.bare)
        #expect(config.storage == .sqlite(SQLiteSettings(path: "./data/switchboard.sqlite")))
    }

    @Test("delivery.breaker: 5 failures in a row, no failure rate, window 60s, min_requests 20, open_for 30s")
    func breakerDefaults() throws {
        for yaml in [Self.bare, "delivery: { breaker: {} }\n" + Self.bare] {
            let breaker = try parseConfig(yaml).delivery.breaker
            #expect(breaker.consecutiveFailures == 5)
            #expect(breaker.failureRatePercent == nil)
            #expect(breaker.window == .seconds(60))
            #expect(breaker.minimumRequests == 20)
            #expect(breaker.openFor == .seconds(30))
        }
    }

    @Test("apps.ID.otp: code_length 6, expires_in 5m, max_failures 3, lockout 15m, resend_after 30s, 10 sends an hour")
    func otpDefaults() throws {
        let otp = try #require(try parseConfig(Self.bare).app("demo")).otp
        #expect(otp.codeLength == 6)
        #expect(otp.expiresIn == .seconds(300))
        #expect(otp.maxFailures == 3)
        #expect(otp.lockout == .seconds(900))
        #expect(otp.resendAfter == .seconds(30))
        #expect(otp.maxSendsPerHour == 10)
    }

    @Test("an app: no OTP lines, any country, no clients, reveal, no direct channel, isolated, no resources")
    func appDefaults() throws {
        let app = try #require(try parseConfig(Self.bare).app("demo"))
        #expect(app.extras.webOTPDomain == nil)
        #expect(app.extras.androidAppHash == nil)
        #expect(app.countries.allow == nil)
        #expect(app.countries.deny.isEmpty)
        #expect(app.countries.permits("US") && app.countries.permits("KP"))
        #expect(app.clients.isEmpty)
        #expect(app.unknownUsers == .reveal)
        #expect(app.allowDirectChannel == false)
        #expect(app.usersSharedWith.isEmpty)
        #expect(app.resources.isEmpty)
    }

    @Test("a route: catch-all without match, the provider's sender, the app's message, no split, the kind's ambiguity policy")
    func routeDefaults() throws {
        let config = try parseConfig(Self.bare)
        let route = try #require(config.routes.first)
        #expect(route.match.isCatchAll)
        #expect(route.sender == nil)
        #expect(route.template == nil)
        #expect(route.split.isEmpty)
        #expect(route.onAmbiguous == nil)
        let number = try PhoneNumberParser.parse("+447700900123")
        let decision = try #require(Router(rules: config.routes).decide(number, app: "demo", kind: .otp))
        #expect(DeliveryPlan(decision, kind: .otp).onAmbiguous == .continue)
        #expect(DeliveryPlan(decision, kind: .transactional).onAmbiguous == .stop)
    }
}
