import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A 502 `delivery_failed` names every attempt with its outcome: a permanent refusal and an
/// ambiguous answer (for a transactional message) each end the chain there, and the message is
/// stored as failed with the same attempts. Retryable failures and skips are in `FailoverAPITests`.
@Suite("Failed delivery answers", .timeLimit(.minutes(3)))
struct FailedDeliveryAnswerTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code" }
        providers:
          alpha: { type: default }
          beta: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: DemoUK, providers: [alpha, beta] }
        """

    @Test("a permanent or an ambiguous answer ends the chain: 502 delivery_failed with that one attempt, stored as failed", arguments: [
        (AttemptOutcome.permanent, "21211", "Invalid 'To' Phone Number"),
        (AttemptOutcome.ambiguous, "timeout", "no answer before the attempt's deadline"),
    ])
    func chainEnds(outcome: AttemptOutcome, code: String, providerMessage: String) async throws {
        let alpha = ScriptedProvider("alpha", [.answer(ProviderResponse(outcome: outcome, code: code, message: providerMessage))])
        let beta = ScriptedProvider.accepting("beta")
        try await withApp(providers: [alpha, beta]) { client, store in
            let body = ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "Your parcel arrives today"}"#)
            let response = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: body)
            let detail = try errorAnswer(response, .badGateway, code: "delivery_failed")
            #expect(message(of: detail) == "no provider accepted the message: alpha \(outcome.rawValue) (\(code): \(providerMessage))")
            #expect(detail["status"] as? String == "failed")
            let attempts = try #require(detail["attempts"] as? [[String: Any]])
            #expect(attempts.map { $0["provider"] as? String } == ["alpha"])
            #expect(attempts.map { $0["outcome"] as? String } == [outcome.rawValue])
            #expect(attempts.map { $0["provider_code"] as? String } == [code])
            #expect(attempts.map { $0["provider_message"] as? String } == [providerMessage])
            #expect(beta.callCount == 0)

            let id = try #require(detail["message_id"] as? String)
            let record = try #require(await store.message(id: id))
            #expect(record.status == .failed)
            #expect(record.attempts.map(\.outcome) == [outcome])
            #expect(record.provider == "alpha")
        }
    }
}
