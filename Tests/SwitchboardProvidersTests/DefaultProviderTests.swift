import Logging
import SwitchboardCore
import SwitchboardProviders
import Testing

/// The built-in provider's answers when its inbox cannot store a message.
@Suite struct DefaultProviderTests {
    /// An inbox whose every delivery fails with `error`.
    private struct FailingInbox: InboxStore {
        let error: any Error & Sendable

        func deliver(_ message: InboxMessage) async throws -> InboxMessage { throw error }
        func inbox(to: String?, after sequence: Int64?, limit: Int) async throws -> [InboxMessage] { [] }
        func latestInbox(to: String?, limit: Int) async throws -> [InboxMessage] { [] }
    }

    private struct DiskFull: Error {}

    private func answer(when error: any Error & Sendable) async throws -> ProviderResponse {
        let provider = DefaultProvider(name: "default", inbox: FailingInbox(error: error))
        let message = OutboundMessage(
            id: "msg_1", to: try PhoneNumberParser.parse("+447700900123"), sender: nil, text: "hello", encoding: .gsm7, segments: 1
        )
        return await provider.send(message, deadline: .now + .seconds(5), logger: Logger(label: "default-provider-test"))
    }

    @Test func aDatabaseOutOfReachFailsTheSendWithoutJudgingTheProvider() async throws {
        let response = try await answer(when: StoreUnavailable(reason: "connection refused", retryAfter: .seconds(2)))
        #expect(response.outcome == .retryable && response.code == "inbox_unavailable")
        #expect(!response.judgesProvider)
    }

    @Test func anyOtherStoreErrorCountsAgainstTheProvider() async throws {
        let response = try await answer(when: DiskFull())
        #expect(response.outcome == .retryable && response.code == "inbox_unavailable")
        #expect(response.judgesProvider)
    }

    @Test func itsAttemptsCutOffAtTheirDeadlineDoNotJudgeIt() {
        // Its time is the database's: an attempt cut off waited on it.
        #expect(!DefaultProvider(name: "default", inbox: FailingInbox(error: DiskFull())).judgedByTimeouts)
    }
}
