import Testing
@testable import SwitchboardCore

/// The ranges the README's configuration reference gives: each edge is accepted, the value just
/// past it is refused with the exact problem `switchboard check` prints.
@Suite("Configuration bounds")
struct ConfigBoundsTests {
    typealias R = ConfigReference

    @Test("messages.max_segments accepts 1 and 10", arguments: [1, 10])
    func maxSegmentsEdges(value: Int) throws {
        #expect(try parseConfig("messages: { max_segments: \(value) }\n" + R.rest).messages.maxSegments == value)
    }

    @Test("messages.max_segments refuses 0 and 11", arguments: [0, 11])
    func maxSegmentsOutside(value: Int) {
        #expect(
            R.printed("messages: { max_segments: \(value) }\n" + R.rest)
                == ["test.yaml:1:27: 'messages.max_segments' must be a whole number from 1 to 10, not \"\(value)\""]
        )
    }

    @Test("apps.ID.otp.code_length accepts 4 and 10", arguments: [4, 10])
    func codeLengthEdges(value: Int) throws {
        #expect(try parseConfig(R.app("otp: { code_length: \(value) }")).app("demo")?.otp.codeLength == value)
    }

    @Test("apps.ID.otp.code_length refuses 3 and 11", arguments: [3, 11])
    func codeLengthOutside(value: Int) {
        #expect(
            R.printed(R.app("otp: { code_length: \(value) }"))
                == ["test.yaml:5:25: 'apps.demo.otp.code_length' must be a whole number from 4 to 10, not \"\(value)\""]
        )
    }

    @Test("apps.ID.otp.max_failures accepts 1 and 20", arguments: [1, 20])
    func maxFailuresEdges(value: Int) throws {
        #expect(try parseConfig(R.app("otp: { max_failures: \(value) }")).app("demo")?.otp.maxFailures == value)
    }

    @Test("apps.ID.otp.max_failures refuses 0 and 21", arguments: [0, 21])
    func maxFailuresOutside(value: Int) {
        #expect(
            R.printed(R.app("otp: { max_failures: \(value) }"))
                == ["test.yaml:5:26: 'apps.demo.otp.max_failures' must be a whole number from 1 to 20, not \"\(value)\""]
        )
    }

    @Test("the other OTP keys are read as written")
    func otpKeysRead() throws {
        let otp = try #require(try parseConfig(R.app("otp: { lockout: 1h30m, resend_after: 0s, max_sends_per_hour: 4 }")).app("demo")).otp
        #expect(otp.lockout == .seconds(5400))
        #expect(otp.resendAfter == .zero)
        #expect(otp.maxSendsPerHour == 4)
    }

    @Test("delivery.breaker.failures accepts 1 and 10000", arguments: [1, 10_000])
    func breakerFailuresEdges(value: Int) throws {
        #expect(try parseConfig("delivery: { breaker: { failures: \(value) } }\n" + R.rest).delivery.breaker.consecutiveFailures == value)
    }

    @Test("delivery.breaker.failures refuses 0 and 10001", arguments: [0, 10_001])
    func breakerFailuresOutside(value: Int) {
        #expect(
            R.printed("delivery: { breaker: { failures: \(value) } }\n" + R.rest)
                == ["test.yaml:1:34: 'delivery.breaker.failures' must be a whole number from 1 to 10000, not \"\(value)\""]
        )
    }

    @Test("delivery.breaker.failure_rate accepts 1% and 100%", arguments: [1, 100])
    func failureRateEdges(percent: Int) throws {
        let breaker = try parseConfig("delivery: { breaker: { failure_rate: \(percent)% } }\n" + R.rest).delivery.breaker
        #expect(breaker.failureRatePercent == percent)
    }

    @Test("delivery.breaker.failure_rate refuses 0% and 101%", arguments: [0, 101])
    func failureRateOutside(percent: Int) {
        #expect(
            R.printed("delivery: { breaker: { failure_rate: \(percent)% } }\n" + R.rest)
                == ["test.yaml:1:38: 'delivery.breaker.failure_rate' must be a percentage from 1% to 100%, such as 50%, not \"\(percent)%\""]
        )
    }

    @Test("an API key of 8 characters is accepted")
    func apiKeyOfEight() throws {
        let keys = try parseConfig("server:\n  api_keys: [{ name: ci, key: \"12345678\" }]\n" + R.rest).server.apiKeys
        #expect(keys.map(\.name) == ["ci"])
        #expect(keys.map(\.key) == ["12345678"])
    }

    @Test("an API key of 7 characters is refused at the key")
    func apiKeyOfSeven() {
        #expect(
            R.printed("server:\n  api_keys: [{ name: ci, key: \"1234567\" }]\n" + R.rest)
                == ["test.yaml:2:31: the API key named 'ci' is shorter than 8 characters; use a long random value"]
        )
    }

    @Test("two API keys with one name are refused at the second name")
    func apiKeyNamesUnique() {
        #expect(
            R.printed("server:\n  api_keys: [{ name: ci, key: \"12345678\" }, { name: ci, key: \"87654321\" }]\n" + R.rest)
                == ["test.yaml:2:53: duplicate API key name 'ci'; each key needs its own name"]
        )
    }

    @Test("a client secret of 16 characters is accepted")
    func clientSecretOfSixteen() throws {
        let app = try #require(try parseConfig(R.app("clients: [{ id: backend, secret: \"0123456789abcdef\" }]")).app("demo"))
        #expect(app.clients == [OAuthClient(id: "backend", secret: "0123456789abcdef")])
    }

    @Test("a client secret of 15 characters is refused at the secret")
    func clientSecretOfFifteen() {
        #expect(
            R.printed(R.app("clients: [{ id: backend, secret: \"0123456789abcde\" }]"))
                == ["test.yaml:5:38: the secret of client 'backend' is shorter than 16 characters; use a long random value"]
        )
    }

    @Test("a client id used by two apps is refused, naming both apps")
    func clientIDsUniqueAcrossApps() {
        let yaml = """
            apps:
              demo:
                name: Demo
                message: "{otp} is your code"
                clients: [{ id: backend, secret: "0123456789abcdef" }]
              other:
                name: Other
                message: "{otp} is your code"
                clients: [{ id: backend, secret: "fedcba9876543210" }]
            providers:
              default: { type: default }
            routes:
              - { name: everyone, sender: "+14155550100", providers: [default] }
            """
        #expect(R.printed(yaml) == ["test.yaml:2:3: client id 'backend' is used by apps 'demo' and 'other'; each client id must be unique"])
    }

    @Test("server.timeouts, max_connections and credential_failures are read as written")
    func serverLimitsRead() throws {
        let yaml = """
            server:
              timeouts: { header: 2s, body: 500ms, idle: 2m }
              max_connections: 16
              credential_failures: { failures: 3, window: 5m, block: 1h }

            """ + R.rest
        let server = try parseConfig(yaml).server
        #expect(server.connections.header == .seconds(2))
        #expect(server.connections.body == .milliseconds(500))
        #expect(server.connections.idle == .seconds(120))
        #expect(server.connections.maxConnections == 16)
        #expect(server.connections.listenBacklog == 256, "a small cap keeps the usual listen queue")
        #expect(server.credentialFailures.failures == 3)
        #expect(server.credentialFailures.window == .seconds(300))
        #expect(server.credentialFailures.block == .seconds(3600))
    }

    @Test("the listen queue holds as many connects as server.max_connections allows open")
    func listenBacklogFollowsTheCap() throws {
        let server = try parseConfig("server:\n  max_connections: 4096\n" + R.rest).server
        #expect(server.connections.listenBacklog == 4096)
    }

    @Test("delivery.attempt_timeout longer than delivery.deadline is refused")
    func attemptLongerThanDeadline() {
        #expect(
            R.printed("delivery: { deadline: 2s, attempt_timeout: 3s }\n" + R.rest)
                == ["test.yaml:1:44: 'delivery.attempt_timeout' (3s) is longer than 'delivery.deadline' (2s); an attempt can never outlast the whole send"]
        )
    }
}
