import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

@Suite("mosaic-gateway and vonage definitions")
struct GatewayAndVonageTests {
    @Test func mosaicGatewayGetsTheContractJSONWithItsKey() async throws {
        let fake = try await FakeMosaicGateway()
        let text = "a & b < c > d \" e ' f ]]> g % h\\n\nline 2 \u{1F44D}"
        let response = try await withProvider(type: "mosaic-gateway", settings: "api_key: \(fake.apiKey)\nbase_url: \(fake.endpoint)") {
            await send($0, try message(sender: "My Shop", text: text))
        }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
        let request = try #require(fake.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/send-sms")
        #expect(request.header("X-API-Key") == fake.apiKey)
        #expect(request.header("Content-Type") == "application/json")
        let body = try #require(request.json)
        #expect(body.count == 3)
        #expect(body["phone_number"] as? String == "+447700900123")
        #expect(body["sender_id"] as? String == "My Shop")
        #expect(body["message"] as? String == text)
    }

    @Test func mosaicGatewayAnswers() async throws {
        let fake = try await FakeMosaicGateway()
        fake.script.enqueue(.respond(status: 503, headers: [("Retry-After", "30")]))
        fake.script.enqueue(.respond(status: 204))
        let (unavailable, accepted) = try await withProvider(type: "mosaic-gateway", settings: "api_key: \(fake.apiKey)\nbase_url: \(fake.endpoint)") { provider in
            (await send(provider, try message()), await send(provider, try message()))
        }
        fake.violations.announceRefusals()
        let refused = try await withProvider(type: "mosaic-gateway", settings: "api_key: not-the-key\nbase_url: \(fake.endpoint)") {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(unavailable.outcome == .retryable)
        #expect(unavailable.retryAfter == .seconds(30))
        #expect(accepted.outcome == .accepted)
        #expect(refused.outcome == .retryable)
        #expect(refused.code == "http_400")
    }

    @Test func vonageSendsTheFormAndReadsTheStatusInA200() async throws {
        let fake = try await FakeVonage()
        let settings = "api_key: \(fake.apiKey)\napi_secret: \(fake.apiSecret)\nbase_url: \(fake.server.baseURL)"
        let (ok, unicode) = try await withProvider(type: "vonage", settings: settings) { provider in
            (await send(provider, try message(text: "hello")), await send(provider, try message(text: "привет \u{1F44D}", encoding: .ucs2)))
        }
        await fake.server.shutdown()
        #expect(ok.outcome == .accepted)
        #expect(ok.providerMessageID == "0A0000000123ABCD1")
        let plain = fake.requests[0]
        #expect(plain.path == "/sms/json")
        #expect(plain.formFields.map(\.0) == ["api_key", "api_secret", "from", "to", "text", "client-ref"])
        #expect(plain.formField("to") == "447700900123")
        #expect(plain.formField("from") == "ACME")
        #expect(plain.formField("text") == "hello")
        #expect(plain.formField("client-ref") == "msg_01TEST")
        #expect(unicode.outcome == .accepted)
        #expect(fake.requests[1].formField("type") == "unicode")
        #expect(fake.requests[1].formField("text") == "привет \u{1F44D}")
    }

    @Test(arguments: [("1", AttemptOutcome.retryable), ("5", .retryable), ("4", .retryable), ("2", .permanent), ("3", .permanent), ("6", .permanent), ("15", .permanent), ("99", .retryable)])
    func vonageStatuses(status: String, expected: AttemptOutcome) async throws {
        let fake = try await FakeVonage()
        fake.script.enqueue(FakeVonage.status(status, "scripted"))
        // The fake's own credentials: the scripted status must answer a request Vonage would take.
        let settings = "api_key: \(fake.apiKey)\napi_secret: \(fake.apiSecret)\nbase_url: \(fake.server.baseURL)"
        let response = try await withProvider(type: "vonage", settings: settings) {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(response.outcome == expected)
        #expect(response.code == status)
        #expect(response.message == "scripted")
    }
}

@Suite("transport failures", .timeLimit(.minutes(3)))
struct TransportFailureTests {
    @Test func connectionRefusedIsRetryable() async throws {
        let response = try await withRefusingAddress { url in
            try await withProvider(type: "mosaic-gateway", settings: "api_key: k\nbase_url: \(url)/send") { await send($0, try message()) }
        }
        // Refused, not cut off at the attempt's timeout: that would be ambiguous.
        #expect(response.outcome == .retryable)
        #expect(response.code == "not_sent")
    }

    @Test func aHangingProviderIsAmbiguousAtTheDeadline() async throws {
        let fake = try await FakeMosaicGateway()
        fake.script.enqueue(.hang)
        let response = try await withProvider(type: "mosaic-gateway", settings: "api_key: \(fake.apiKey)\nbase_url: \(fake.endpoint)") {
            // Room for connecting on a busy machine: an attempt cut off while connecting is not sent,
            // which is not what this test is about.
            await send($0, try message(), timeout: .seconds(3))
        }
        await fake.server.shutdown()
        // The answer never ends: only the deadline can have ended the attempt (the suite's time limit
        // catches one that never does).
        #expect(response.outcome == .ambiguous)
    }

    @Test func aConnectionClosedAfterTheRequestIsAmbiguous() async throws {
        let fake = try await FakeMosaicGateway()
        fake.script.enqueue(.close, count: 3)
        let response = try await withProvider(type: "mosaic-gateway", settings: "api_key: \(fake.apiKey)\nbase_url: \(fake.endpoint)") {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(response.outcome == .ambiguous)
    }

    /// Over the size limit: a 2xx most likely means the provider took the message (ambiguous), an
    /// error status does not (retryable). Either way none of it is read.
    @Test(arguments: [(201, AttemptOutcome.ambiguous), (500, .retryable)])
    func anOversizedJSONAnswerIsUnread(status: Int, outcome: AttemptOutcome) async throws {
        let fake = try await FakeTwilio()
        fake.script.enqueue(.respond(status: status, headers: [("Content-Type", "application/json")], body: Array(#"{"sid":"SMx","pad":""#.utf8) + [UInt8](repeating: 0x61, count: 2_000_000) + Array(#""}"#.utf8)))
        let response = try await withProvider(type: "twilio", settings: fake.settings) {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(response.outcome == outcome)
        #expect(response.code == "response_too_large")
        #expect(response.providerMessageID == nil)
    }

    /// An answer without a declared length is cut off once it passes the limit, whatever it says
    /// it is, and judged by its status as one that declared its size.
    @Test(arguments: [(201, AttemptOutcome.ambiguous), (500, .retryable)])
    func anOversizedAnswerOfUnknownLengthIsGivenUp(status: Int, outcome: AttemptOutcome) async throws {
        let fake = try await FakeTwilio()
        let part = [UInt8](repeating: 0x61, count: 64 * 1024)
        fake.script.enqueue(.chunked(status: status, headers: [("Content-Type", "application/json")], parts: [Array(#"{"sid":"SMx","pad":""#.utf8)] + Array(repeating: part, count: 32)))
        let response = try await withProvider(type: "twilio", settings: fake.settings) {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(response.outcome == outcome)
        #expect(response.code == "response_too_large")
        #expect(response.message?.contains("HTTP \(status)") == true, "\(response.message ?? "")")
        #expect(response.providerMessageID == nil)
    }

    /// Only the attempt's deadline bounds the wait for an answer: a provider that takes longer
    /// than the HTTP client's usual read timeout is still heard when the operator allows it.
    @Test func anAnswerSlowerThanThirtySecondsWithinTheAttemptTimeIsAccepted() async throws {
        let fake = try await FakeTwilio()
        let answer = Array(#"{"sid":"SMpatient","status":"queued","num_segments":"1","error_code":null,"error_message":null}"#.utf8)
        fake.script.enqueue(.respond(status: 201, headers: [("Content-Type", "application/json")], body: answer, delay: .seconds(31)))
        let response = try await withProvider(type: "twilio", settings: fake.settings) {
            await send($0, try message(), timeout: .seconds(60))
        }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted, "\(response.code ?? "") \(response.message ?? "")")
        #expect(response.providerMessageID == "SMpatient")
    }

    @Test func anAnswerInManyChunksIsReadWhole() async throws {
        let fake = try await FakeTwilio()
        let answer = Array(#"{"sid":"SMchunked","status":"queued","num_segments":"1","error_code":null,"error_message":null}"#.utf8)
        fake.script.enqueue(.chunked(status: 201, headers: [("Content-Type", "application/json")], parts: stride(from: 0, to: answer.count, by: 7).map { Array(answer[$0..<min($0 + 7, answer.count)]) }))
        let response = try await withProvider(type: "twilio", settings: fake.settings) {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
        #expect(response.providerMessageID == "SMchunked")
    }

    @Test func aGatewayThatAcceptsAny2xxStillAcceptsOneWhoseBodyDoesNotParse() async throws {
        let fake = try await FakeMosaicGateway()
        fake.script.enqueue(.text(200, "OK", contentType: "text/plain"))
        let response = try await withProvider(type: "mosaic-gateway", settings: "api_key: \(fake.apiKey)\nbase_url: \(fake.endpoint)") {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
    }
}
